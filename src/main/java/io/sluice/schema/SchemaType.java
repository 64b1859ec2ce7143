package io.sluice.schema;

import java.util.Locale;

/** The schema languages the registry speaks, by Confluent's names ({@code schemaType} in the API). */
public enum SchemaType {
    AVRO, JSON, PROTOBUF;

    /**
     * The type a request names; Confluent's API treats an absent {@code schemaType} as AVRO.
     *
     * @throws IllegalArgumentException for a name the registry does not know
     */
    public static SchemaType fromApi(String name) {
        if (name == null || name.isEmpty()) {
            return AVRO;
        }
        return SchemaType.valueOf(name.toUpperCase(Locale.ROOT));
    }
}

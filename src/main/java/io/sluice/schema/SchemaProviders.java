package io.sluice.schema;

import io.sluice.schema.avro.AvroSchemaProvider;
import io.sluice.schema.json.JsonSchemaProvider;
import io.sluice.schema.protobuf.ProtobufSchemaProvider;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The schema languages this node speaks: one {@link SchemaProvider} per {@link SchemaType}. A type
 * without a provider is refused by the registry as Confluent refuses an unknown one (42201, "unsupported
 * schema type"), and {@code GET /schemas/types} lists only the types here.
 */
public final class SchemaProviders {
    private final Map<SchemaType, SchemaProvider> providers = new EnumMap<>(SchemaType.class);

    public SchemaProviders(List<SchemaProvider> providers) {
        for (SchemaProvider p : providers) {
            this.providers.put(p.type(), p);
        }
    }

    /** Every provider this build has. */
    public static SchemaProviders standard() {
        return new SchemaProviders(List.of(new AvroSchemaProvider(), new JsonSchemaProvider(), new ProtobufSchemaProvider()));
    }

    /** The provider of {@code type}, or null when this node has none. */
    public SchemaProvider get(SchemaType type) {
        return providers.get(type);
    }

    public Set<SchemaType> types() {
        return providers.keySet();
    }
}

package io.sluice.api.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.schema.RequestSchema;

import java.io.IOException;

/**
 * Reads the members a typed produce body or frame carries beside its records, as Confluent REST
 * Proxy v2 names them: {@code key_schema} / {@code key_schema_id} and {@code value_schema} /
 * {@code value_schema_id} (a schema text, or a registered schema's id). Owns their rules: a side
 * names its schema once, by id or by text, not both; JSON null stands for absent. One per input;
 * not thread-safe.
 */
final class SchemaFields {
    static final String NAMES = "key_schema, key_schema_id, value_schema, value_schema_id";

    private final JsonInput in;
    private final String where;
    private RequestSchema key;
    private RequestSchema value;
    private boolean keySeen;
    private boolean valueSeen;

    SchemaFields(JsonInput in, String where) {
        this.in = in;
        this.where = where;
    }

    /**
     * Reads the value of member {@code name}, the parser standing on its field name.
     *
     * @return false, consuming nothing, when {@code name} is none of these members
     */
    boolean readField(String name) throws IOException {
        switch (name) {
            case "key_schema":
                key = read(name, keySeen, false);
                keySeen = true;
                return true;
            case "key_schema_id":
                key = read(name, keySeen, true);
                keySeen = true;
                return true;
            case "value_schema":
                value = read(name, valueSeen, false);
                valueSeen = true;
                return true;
            case "value_schema_id":
                value = read(name, valueSeen, true);
                valueSeen = true;
                return true;
            default:
                return false;
        }
    }

    /** The keys' schema, or null when none was named. */
    RequestSchema key() {
        return key;
    }

    /** The values' schema, or null when none was named. */
    RequestSchema value() {
        return value;
    }

    private RequestSchema read(String name, boolean sideSeen, boolean byId) throws IOException {
        if (sideSeen) {
            String side = name.startsWith("key") ? "key" : "value";
            throw new ProduceParseException(where + ": " + side + "_schema and " + side + "_schema_id given more than once "
                    + "or together; name the " + side + "s' schema once, by text or by id");
        }
        JsonToken token = in.next();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        JsonParser parser = in.parser();
        if (byId) {
            if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT
                    && parser.getIntValue() >= 0) {
                return RequestSchema.ofId(parser.getIntValue());
            }
            throw new ProduceParseException(where + "." + name + ": expected a schema id (a non-negative integer)");
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new ProduceParseException(where + "." + name + ": expected the schema as a JSON string");
        }
        return RequestSchema.ofText(parser.getText());
    }
}

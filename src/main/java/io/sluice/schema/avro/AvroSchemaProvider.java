package io.sluice.schema.avro;

import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaProvider;
import io.sluice.schema.SchemaReference;
import io.sluice.schema.SchemaType;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses Avro schemas with Apache Avro's own parser. Referenced named types (another subject's
 * record, enum or fixed) are parsed first into the same {@link Schema.Parser}, dependencies before
 * dependents, so that the schema can name them; as Confluent's serializers do, defaults are validated.
 */
public final class AvroSchemaProvider implements SchemaProvider {

    @Override
    public SchemaType type() {
        return SchemaType.AVRO;
    }

    @Override
    public ParsedSchema parse(String schema, List<SchemaReference> references, Map<String, String> resolved)
            throws InvalidSchemaException {
        Schema.Parser parser = new Schema.Parser().setValidateDefaults(true);
        List<Schema> referenced = new ArrayList<>();
        for (Map.Entry<String, String> e : resolved.entrySet()) {
            try {
                if (parser.getTypes().containsKey(e.getKey())) {
                    continue;
                }
                referenced.add(parser.parse(e.getValue()));
            } catch (SchemaParseException | IllegalArgumentException | NullPointerException ex) {
                throw new InvalidSchemaException("Invalid schema reference " + e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
        try {
            Schema parsed = parser.parse(schema);
            return new AvroSchema(parsed, schema, references, referenced);
        } catch (SchemaParseException | IllegalArgumentException | NullPointerException | org.apache.avro.AvroTypeException e) {
            throw new InvalidSchemaException("Invalid schema " + schema + ": " + e.getMessage(), e);
        }
    }
}

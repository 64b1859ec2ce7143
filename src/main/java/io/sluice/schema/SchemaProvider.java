package io.sluice.schema;

import java.util.List;
import java.util.Map;

/**
 * Parses schema texts of one {@link SchemaType}. The registry resolves references before it calls
 * {@link #parse}: {@code resolved} maps every reference name reachable from the schema (transitively)
 * to the referenced schema's text, dependencies before dependents.
 */
public interface SchemaProvider {

    SchemaType type();

    ParsedSchema parse(String schema, List<SchemaReference> references, Map<String, String> resolved)
            throws InvalidSchemaException;
}

package io.sluice.schema;

/**
 * No schema has the id asked for: what {@link SchemaLookup#schemaById} fails with (Confluent's
 * 40403), so that its callers can tell a record naming an unknown id (the client's fault, 422)
 * from a registry that cannot answer (the node's, 5xx).
 */
public final class UnknownSchemaException extends RuntimeException {
    private final int id;

    public UnknownSchemaException(int id) {
        super("Schema " + id + " not found", null, false, false);
        this.id = id;
    }

    public int id() {
        return id;
    }
}

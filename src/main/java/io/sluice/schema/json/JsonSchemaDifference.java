package io.sluice.schema.json;

/** One change the walker found, and the JSON pointer-like path (in the writer's schema) where. */
record JsonSchemaDifference(JsonSchemaChange change, String path) {
    @Override
    public String toString() {
        return change + " at " + path;
    }
}

package io.sluice.schema.protobuf;

/** One change the walker found: where (message, field or oneof, by the writer's names) and what it was. */
record ProtobufDifference(ProtobufSchemaChange change, String where, String detail) {
    @Override
    public String toString() {
        return change + " at " + where + (detail.isEmpty() ? "" : ": " + detail);
    }
}

package io.sluice.schema.protobuf;

/**
 * The rule table: every kind of change the Protobuf walker reports, by Confluent's names, and
 * whether a reader with the new schema still reads what the old one wrote (Confluent's documented
 * Protobuf compatibility rules, which follow protobuf's own "updating a message type" advice).
 */
enum ProtobufSchemaChange {
    PACKAGE_CHANGED(false),
    MESSAGE_ADDED(true),
    MESSAGE_REMOVED(false),
    /** Reordered: payloads name messages by index in the schema of their own id, so this is harmless. */
    MESSAGE_MOVED(true),
    ENUM_ADDED(true),
    ENUM_REMOVED(true),
    ENUM_CONST_ADDED(true),
    ENUM_CONST_CHANGED(true),
    ENUM_CONST_REMOVED(true),
    FIELD_ADDED(true),
    FIELD_REMOVED(true),
    FIELD_NAME_CHANGED(true),
    /** Scalar to message, message to map, ...: the bytes on the wire mean something else. */
    FIELD_KIND_CHANGED(false),
    /** Outside the groups protobuf decodes alike: int32/uint32/int64/uint64/bool (and enums), sint32/sint64, fixed32/sfixed32, fixed64/sfixed64, string/bytes. */
    FIELD_SCALAR_KIND_CHANGED(false),
    FIELD_NAMED_TYPE_CHANGED(false),
    /** Singular to repeated or back for a numeric field: packed repeated values do not read as one. */
    FIELD_NUMERIC_LABEL_CHANGED(false),
    FIELD_STRING_OR_BYTES_LABEL_CHANGED(true),
    REQUIRED_FIELD_ADDED(false),
    REQUIRED_FIELD_REMOVED(false),
    ONEOF_ADDED(true),
    ONEOF_REMOVED(true),
    ONEOF_FIELD_ADDED(true),
    ONEOF_FIELD_REMOVED(false),
    MULTIPLE_FIELDS_MOVED_TO_ONEOF(false),
    FIELD_MOVED_TO_EXISTING_ONEOF(false);

    private final boolean compatible;

    ProtobufSchemaChange(boolean compatible) {
        this.compatible = compatible;
    }

    boolean compatible() {
        return compatible;
    }
}

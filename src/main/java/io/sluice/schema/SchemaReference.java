package io.sluice.schema;

/**
 * A reference from one schema to another registered one, as Confluent writes it: {@code name} is
 * how the referring schema names it (an Avro full name, a JSON Schema {@code $ref} URL, a Protobuf
 * import path), {@code subject} and {@code version} where the registry finds it.
 */
public record SchemaReference(String name, String subject, int version) {
}

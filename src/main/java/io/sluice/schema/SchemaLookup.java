package io.sluice.schema;

import io.vertx.core.Future;

/**
 * What the produce and consume paths ask of the registry (the node's copy of {@code _schemas}):
 * schemas by id, and whether an id belongs to a subject. Reads answer from memory when they can;
 * a miss first catches the node's copy up with the registry, so that a schema registered a moment
 * ago on another node is found. Thread-safe.
 */
public interface SchemaLookup {

    /** The parsed schema with {@code id} if this node has it parsed already, else null (never blocks). */
    ParsedSchema cachedById(int id);

    /**
     * The parsed schema with {@code id}; fails with {@link UnknownSchemaException} when no schema has
     * it, and with a {@link io.sluice.common.SluiceException} (UNAVAILABLE, REQUEST_TIMED_OUT) when
     * the registry cannot be asked.
     */
    Future<ParsedSchema> schemaById(int id);

    /** Whether {@code id} is the schema of a live (not deleted) version of {@code subject}. */
    Future<Boolean> isRegisteredUnder(String subject, int id);

    /**
     * The id of {@code schema} under {@code subject}, registering it as the subject's next version
     * (subject to the subject's compatibility and mode) when it is not there yet, as Confluent's
     * REST proxy does for a produce that carries a schema.
     */
    Future<Integer> registerIfAbsent(String subject, SchemaType type, String schema);

    /**
     * Parses a schema text without references (what a typed produce carries inline), so that a
     * record name strategy can name its subject before it is registered.
     *
     * @throws InvalidSchemaException when it does not parse, or the node has no provider for {@code type}
     */
    ParsedSchema parse(SchemaType type, String schema) throws InvalidSchemaException;
}

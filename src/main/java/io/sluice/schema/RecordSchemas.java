package io.sluice.schema;

import io.sluice.metrics.SluiceMetrics;
import io.vertx.core.Future;

import java.nio.ByteBuffer;

/**
 * The schema side of records, as a node's interfaces and produce path use it, over one
 * {@link SchemaLookup} (the node's copy of the registry): validation on produce, typed JSON in,
 * and the schemas typed JSON out needs. Thread-safe.
 */
public final class RecordSchemas {
    private final SchemaLookup lookup;
    private final RecordValidator validator;
    private final TypedRecords typed;

    public RecordSchemas(SchemaLookup lookup, SluiceMetrics metrics) {
        this.lookup = lookup;
        this.validator = new RecordValidator(lookup, metrics);
        this.typed = new TypedRecords(lookup);
    }

    public SchemaLookup lookup() {
        return lookup;
    }

    public RecordValidator validator() {
        return validator;
    }

    public TypedRecords typed() {
        return typed;
    }

    /** Loads the schemas the records of a fetched chunk name, before they are rendered as typed JSON. */
    public Future<Void> loadSchemasOf(ByteBuffer records) {
        return SchemaIds.load(lookup, records);
    }
}

package io.sluice.api.json;

import io.sluice.produce.ProducerRecord;
import io.sluice.schema.RequestSchema;
import java.util.List;

/**
 * One client frame of a produce WebSocket: the records it carries and the client's opaque
 * {@code context}, which the session echoes back verbatim with the offsets so that a client can
 * match answers to frames without counting.
 */
public final class ProduceFrame {
    private final List<ProducerRecord> records;
    private final byte[] context;
    private final RequestSchema keySchema;
    private final RequestSchema valueSchema;

    ProduceFrame(List<ProducerRecord> records, byte[] context, RequestSchema keySchema, RequestSchema valueSchema) {
        this.records = records;
        this.context = context;
        this.keySchema = keySchema;
        this.valueSchema = valueSchema;
    }

    /** In a typed format, the schema the frame names for its keys ({@code key_schema[_id]}), else null. */
    public RequestSchema keySchema() {
        return keySchema;
    }

    /** In a typed format, the schema the frame names for its values ({@code value_schema[_id]}), else null. */
    public RequestSchema valueSchema() {
        return valueSchema;
    }

    /** The frame's records in order; never empty, unmodifiable. */
    public List<ProducerRecord> records() {
        return records;
    }

    /**
     * The raw UTF-8 JSON text of the frame's {@code context} value (for {@code "context":null},
     * the four bytes {@code null}), or null when the frame has no {@code context}. The array is
     * the frame's own copy.
     */
    public byte[] context() {
        return context;
    }
}

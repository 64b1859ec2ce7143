package io.sluice.api.json;

import io.netty.buffer.ByteBuf;
import io.sluice.produce.ProduceOutcome;

import java.nio.charset.StandardCharsets;

/**
 * The {@code offsets} array of a produce answer, as HTTP responses and WebSocket produce acks
 * carry it: {@code [{"partition":3,"offset":1041},{"partition":0,"offset":-1,"error_code":50301,"error":"..."}]}.
 * Written straight into the response buffer (no JSON tree): it is on every produce's path.
 */
public final class ProduceOutcomeJson {
    private static final byte[] PARTITION = "{\"partition\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFSET = ",\"offset\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_CODE = ",\"error_code\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = ",\"error\":".getBytes(StandardCharsets.US_ASCII);

    private ProduceOutcomeJson() {
    }

    /** Appends {@code outcome} as a whole offsets array. */
    public static void writeOffsetsArray(ByteBuf out, ProduceOutcome outcome) {
        out.writeByte('[');
        writeEntries(out, outcome, false);
        out.writeByte(']');
    }

    /** Appends {@code outcome}'s entries of an offsets array, after a comma when {@code afterOthers}. */
    public static void writeEntries(ByteBuf out, ProduceOutcome outcome, boolean afterOthers) {
        for (int i = 0; i < outcome.size(); i++) {
            if (i > 0 || afterOthers) {
                out.writeByte(',');
            }
            out.writeBytes(PARTITION);
            RecordJsonWriter.writeLong(out, outcome.partition(i));
            out.writeBytes(OFFSET);
            RecordJsonWriter.writeLong(out, outcome.offset(i));
            if (outcome.error(i) != null) {
                out.writeBytes(ERROR_CODE);
                RecordJsonWriter.writeLong(out, outcome.error(i).code());
                out.writeBytes(ERROR);
                RecordJsonWriter.writeJsonString(out, outcome.message(i));
            }
            out.writeByte('}');
        }
    }

    /** Writes {@code ,"key_schema_id":N,"value_schema_id":M} (null for a side that named no schema), after the offsets of a typed produce. */
    public static void writeSchemaIds(ByteBuf out, Integer keySchemaId, Integer valueSchemaId) {
        out.writeBytes(",\"key_schema_id\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        writeNullableInt(out, keySchemaId);
        out.writeBytes(",\"value_schema_id\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        writeNullableInt(out, valueSchemaId);
    }

    private static void writeNullableInt(ByteBuf out, Integer v) {
        if (v == null) {
            out.writeBytes("null".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } else {
            RecordJsonWriter.writeLong(out, v);
        }
    }
}

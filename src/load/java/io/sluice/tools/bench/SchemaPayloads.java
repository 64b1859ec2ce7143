package io.sluice.tools.bench;

import io.vertx.core.buffer.Buffer;

import java.util.Base64;

/**
 * Produce bodies whose records are schema-encoded, for the registry's benchmark rows: every value
 * is a record of {@link #AVRO_SCHEMA} (one string field), stored in Confluent's wire format as
 * exactly {@code size} bytes (magic byte, 4-byte schema id, the Avro string's zigzag length, its
 * characters). The Avro encoding of one string is its length and its bytes, written here directly
 * so that the load tool needs no Avro library.
 */
final class SchemaPayloads {
    /** The schema the benchmark registers (under {@code <topic>-value}) before it produces. */
    static final String AVRO_SCHEMA =
            "{\"type\":\"record\",\"name\":\"BenchRecord\",\"namespace\":\"io.sluice.bench\","
                    + "\"fields\":[{\"name\":\"payload\",\"type\":\"string\"}]}";

    private SchemaPayloads() {
    }

    /** The string field's length that makes the stored value {@code size} bytes. */
    static int payloadLength(int size) {
        for (int n = size - 6; n >= 0; n--) {
            if (5 + varintLength(n * 2L) + n == size) {
                return n;
            }
        }
        throw new IllegalArgumentException("a wire-format value cannot be " + size + " bytes");
    }

    /** {@code {"value_schema_id":id,"records":[{"value":{"payload":"..."}},...]}}: Avro as REST Proxy v2's JSON. */
    static Buffer avroJsonBody(int n, int size, int schemaId) {
        String rec = "{\"value\":{\"payload\":\"" + letters(payloadLength(size)) + "\"}}";
        StringBuilder b = new StringBuilder("{\"value_schema_id\":").append(schemaId).append(",\"records\":[");
        for (int i = 0; i < n; i++) {
            b.append(i > 0 ? "," : "").append(rec);
        }
        return Buffer.buffer(b.append("]}").toString());
    }

    /** {@code {"records":[{"value":"<base64 wire bytes>"},...]}} for the binary content type. */
    static Buffer wireBinaryBody(int n, int size, int schemaId) {
        String rec = "{\"value\":\"" + Base64.getEncoder().encodeToString(wireValue(size, schemaId)) + "\"}";
        StringBuilder b = new StringBuilder("{\"records\":[");
        for (int i = 0; i < n; i++) {
            b.append(i > 0 ? "," : "").append(rec);
        }
        return Buffer.buffer(b.append("]}").toString());
    }

    static byte[] wireValue(int size, int schemaId) {
        int len = payloadLength(size);
        byte[] out = new byte[size];
        out[0] = 0;
        out[1] = (byte) (schemaId >>> 24);
        out[2] = (byte) (schemaId >>> 16);
        out[3] = (byte) (schemaId >>> 8);
        out[4] = (byte) schemaId;
        int p = 5;
        long zigzag = len * 2L;
        while ((zigzag & ~0x7FL) != 0) {
            out[p++] = (byte) ((zigzag & 0x7F) | 0x80);
            zigzag >>>= 7;
        }
        out[p++] = (byte) zigzag;
        byte[] chars = letters(len).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(chars, 0, out, p, len);
        return out;
    }

    private static String letters(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + i % 26));
        }
        return b.toString();
    }

    private static int varintLength(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }
}

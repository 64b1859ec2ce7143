package io.sluice.tools.bench;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * The request bodies and frames of the produce workloads, built once per run. Every record is
 * {@code {"value":"..."}} where the value is a JSON string whose stored bytes (json format:
 * the JSON text, quotes included) are exactly {@code recordSize} bytes.
 */
final class Payloads {
    private Payloads() {
    }

    /** A JSON string of exactly {@code size} bytes, quotes included: {@code "abcd..."}. */
    static String value(int size) {
        StringBuilder b = new StringBuilder(size).append('"');
        for (int i = 0; i < size - 2; i++) {
            b.append((char) ('a' + i % 26));
        }
        return b.append('"').toString();
    }

    /**
     * A value carrying a sequence number and a send time, padded to {@code size} bytes:
     * {@code "<seq>:<nanos>:xxxx"}, for the end-to-end workload.
     */
    static String stampedValue(int size, long seq, long nanos) {
        StringBuilder b = new StringBuilder(size).append('"').append(seq).append(':').append(nanos).append(':');
        while (b.length() < size - 1) {
            b.append('x');
        }
        return b.append('"').toString();
    }

    static String record(String value) {
        return "{\"value\":" + value + "}";
    }

    /** {@code {"key":"k<n>","value":...}}: key {@code n} of the key space. */
    static String record(long key, String value) {
        return "{\"key\":\"k" + key + "\",\"value\":" + value + "}";
    }

    /**
     * {@code {"records":[...]}} with {@code n} records keyed k0, k1, ... in turn over {@code keys}
     * keys (a batch longer than the key space repeats them: the later record of a key wins).
     */
    static Buffer keyedBatchBody(int n, int size, int keys) {
        String value = value(size);
        StringBuilder b = new StringBuilder("{\"records\":[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(record(i % keys, value));
        }
        return Buffer.buffer(b.append("]}").toString());
    }

    /** The JSON records array: {@code [{"value":...},...]} with {@code n} records. */
    static String recordsArray(int n, int size) {
        String rec = record(value(size));
        StringBuilder b = new StringBuilder(n * (rec.length() + 1) + 2).append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(rec);
        }
        return b.append(']').toString();
    }

    /** {@code {"records":[...]}}, the body of a JSON produce request. */
    static Buffer batchBody(int n, int size) {
        return Buffer.buffer("{\"records\":" + recordsArray(n, size) + "}");
    }

    /** {@code n} lines of {@code {"value":...}}, the body of an NDJSON produce request. */
    static Buffer ndjsonBody(int n, int size) {
        String line = record(value(size)) + "\n";
        return Buffer.buffer(line.repeat(n));
    }

    /** The start of a produce frame, {@code {"records":[...],"context":}; the context number and '}' follow. */
    static byte[] wsFramePrefix(int n, int size) {
        return ("{\"records\":" + recordsArray(n, size) + ",\"context\":").getBytes(StandardCharsets.UTF_8);
    }
}

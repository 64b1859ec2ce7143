package io.sluice.log;

import io.sluice.record.Header;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builders and readers shared by the storage tests. */
public final class LogTestSupport {
    private LogTestSupport() {
    }

    /** A record as a test sees it: decoded and comparable. */
    public record Rec(long offset, long timestamp, String key, String value, List<Header> headers) {
        @Override
        public String toString() {
            return offset + ":" + key + "=" + value;
        }
    }

    /** A clock tests move by hand. */
    public static final class ManualClock {
        private final AtomicLong now;

        public ManualClock(long start) {
            now = new AtomicLong(start);
        }

        public long now() {
            return now.get();
        }

        public void advance(long ms) {
            now.addAndGet(ms);
        }

        public void set(long ms) {
            now.set(ms);
        }
    }

    public static LogEnvironment env(ManualClock clock) {
        return new LogEnvironment(clock::now, new OpenSegments(OpenSegments.DEFAULT_MAX_OPEN), Runnable::run);
    }

    public static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** A batch of {@code values} (keys k-{value}), all at {@code timestamp}. */
    public static RecordBatch batch(long timestamp, String... values) {
        RecordBatchBuilder b = new RecordBatchBuilder(256);
        for (String v : values) {
            b.append(timestamp, utf8("k-" + v), utf8(v), List.of());
        }
        return b.build();
    }

    /** A batch of key/value pairs (value null for a tombstone). */
    public static RecordBatch keyed(long timestamp, String... keyValues) {
        RecordBatchBuilder b = new RecordBatchBuilder(256);
        for (int i = 0; i < keyValues.length; i += 2) {
            b.append(timestamp, utf8(keyValues[i]), utf8(keyValues[i + 1]), List.of());
        }
        return b.build();
    }

    /** A batch of {@code count} records of {@code size} bytes each, values "v{start+i}" padded. */
    public static RecordBatch sized(long timestamp, int start, int count, int size) {
        RecordBatchBuilder b = new RecordBatchBuilder(count * (size + 32));
        for (int i = 0; i < count; i++) {
            byte[] v = new byte[size];
            Arrays.fill(v, (byte) 'x');
            byte[] tag = utf8("v" + (start + i));
            System.arraycopy(tag, 0, v, 0, Math.min(tag.length, size));
            b.append(timestamp, null, v, List.of());
        }
        return b.build();
    }

    /** Every record from {@code from} to the log end, decoded. */
    public static List<Rec> readAll(LogView log, long from) {
        List<Rec> out = new ArrayList<>();
        long offset = Math.max(from, log.logStartOffset());
        while (offset < log.logEndOffset()) {
            LogReadResult r = log.read(offset, 64 * 1024, Long.MAX_VALUE, true);
            long next = r.forEachRecord(Integer.MAX_VALUE, c -> out.add(new Rec(c.offset(), c.timestamp(),
                    str(c.keyBytes()), str(c.valueBytes()), List.of(c.headers()))));
            if (next <= offset) {
                throw new AssertionError("read made no progress at " + offset);
            }
            offset = next;
        }
        return out;
    }

    public static List<Rec> readAll(LogView log) {
        return readAll(log, log.logStartOffset());
    }

    /** Every record of a log opened inside the room, read through its view. */
    static List<Rec> readAll(Log log) {
        return readAll(log.view());
    }

    static List<Rec> readAll(Log log, long from) {
        return readAll(log.view(), from);
    }

    /**
     * A log opened the way code outside the storage room opens one, through its writer; the
     * writer drains on the calling thread, so each change is done when its method returns.
     */
    public record OpenLog(LogWriter writer) implements AutoCloseable {
        public static OpenLog open(Path dir, LogConfig config, LogEnvironment env) throws IOException {
            return new OpenLog(LogWriter.open(dir, config, env, Runnable::run));
        }

        public LogView log() {
            return writer.log();
        }

        public LogAppendInfo append(RecordBatch batch, int leaderEpoch) {
            return writer.appendAsLeader(batch, leaderEpoch).join();
        }

        public void roll() {
            writer.roll().join();
        }

        @Override
        public void close() {
            writer.close().join();
        }
    }

    /** Every record of the log in {@code dir}, opened and closed again (its owner must be stopped). */
    public static List<Rec> readAll(Path dir) throws IOException {
        try (OpenLog open = OpenLog.open(dir, LogConfig.DEFAULT, LogEnvironment.defaults())) {
            return readAll(open.log());
        }
    }

    public static List<String> values(List<Rec> recs) {
        return recs.stream().map(Rec::value).toList();
    }

    public static List<Long> offsets(List<Rec> recs) {
        return recs.stream().map(Rec::offset).toList();
    }

    static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}

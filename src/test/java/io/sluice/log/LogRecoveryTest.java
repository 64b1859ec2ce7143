package io.sluice.log;

import io.sluice.log.LogTestSupport.ManualClock;
import io.sluice.log.LogTestSupport.Rec;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.sluice.log.LogTestSupport.readAll;
import static io.sluice.log.LogTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash recovery: a log left without a clean shutdown, whose tail was cut or corrupted at random
 * byte positions, must reopen holding exactly the records before the damage.
 */
class LogRecoveryTest {
    private static final long SEED = Long.getLong("sluice.test.seed", 20261125L);

    @TempDir
    Path tmp;

    final ManualClock clock = new ManualClock(1_000_000);
    final LogConfig config = LogConfig.builder().segmentBytes(16 * 1024).indexIntervalBytes(512).build();

    /** A batch's place in its segment file and the records it holds. */
    record BatchSpan(long start, long end, long baseOffset, List<Rec> records) {
    }

    /** Writes a log with random batches and abandons it open, as a crash would. */
    private List<Rec> writeAndAbandon(Path dir, Random random, int batches, LogEnvironment env) throws IOException {
        List<Rec> written = new ArrayList<>();
        Log log = Log.open(dir, config, env);
        for (int i = 0; i < batches; i++) {
            RecordBatchBuilder b = new RecordBatchBuilder();
            int n = 1 + random.nextInt(5);
            for (int j = 0; j < n; j++) {
                String v = "v" + written.size() + "-" + "x".repeat(random.nextInt(150));
                b.append(clock.now() + written.size(), utf8("k" + random.nextInt(50)), utf8(v), List.of());
                written.add(new Rec(written.size(), 0, null, v, List.of()));
            }
            log.appendAsLeader(b.build(), 1);
        }
        assertEquals(written.size(), log.view().logEndOffset());
        // No close: no flush of indexes, no snapshot, no clean-shutdown marker.
        return written;
    }

    private static List<BatchSpan> spans(Path segmentFile, List<Rec> all) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(segmentFile));
        List<BatchSpan> out = new ArrayList<>();
        for (int pos = 0; pos < data.limit(); ) {
            RecordBatch b = RecordBatch.at(data, pos);
            int size = b.sizeInBytes();
            List<Rec> recs = all.subList((int) b.baseOffset(), (int) b.nextOffset());
            out.add(new BatchSpan(pos, pos + size, b.baseOffset(), recs));
            pos += size;
        }
        return out;
    }

    private static Path lastSegment(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".log")).max(Comparator.naturalOrder()).orElseThrow();
        }
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    @Test
    void cutsAtRandomPositionsLeaveExactlyTheWholeBatchesBefore() throws IOException {
        Random random = new Random(SEED);
        Path base = tmp.resolve("base");
        List<Rec> all = writeAndAbandon(base, random, 300, LogTestSupport.env(clock));
        Path tail = lastSegment(base);
        List<BatchSpan> spans = spans(tail, all);
        long firstInTail = spans.get(0).baseOffset();
        long size = Files.size(tail);
        for (int i = 0; i < 200; i++) {
            long cut = random.nextLong(size);
            Path dir = tmp.resolve("cut" + i);
            copyDir(base, dir);
            try (FileChannel ch = FileChannel.open(dir.resolve(tail.getFileName()), StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            long expectedEnd = firstInTail;
            for (BatchSpan s : spans) {
                if (s.end() <= cut) {
                    expectedEnd = s.records().get(s.records().size() - 1).offset() + 1;
                }
            }
            assertRecovered(dir, all, expectedEnd, "seed " + SEED + " cut at " + cut);
        }
    }

    @Test
    void corruptBytesAtRandomPositionsLeaveExactlyTheBatchesBefore() throws IOException {
        Random random = new Random(SEED + 1);
        Path base = tmp.resolve("base");
        List<Rec> all = writeAndAbandon(base, random, 300, LogTestSupport.env(clock));
        Path tail = lastSegment(base);
        List<BatchSpan> spans = spans(tail, all);
        long size = Files.size(tail);
        for (int i = 0; i < 200; i++) {
            long pos = random.nextLong(size);
            Path dir = tmp.resolve("flip" + i);
            copyDir(base, dir);
            Path file = dir.resolve(tail.getFileName());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer one = ByteBuffer.allocate(1);
                ch.read(one, pos);
                one.put(0, (byte) (one.get(0) ^ (1 + random.nextInt(255))));
                one.rewind();
                ch.write(one, pos);
            }
            BatchSpan hit = spans.stream().filter(s -> s.start() <= pos && pos < s.end()).findFirst().orElseThrow();
            assertRecovered(dir, all, hit.baseOffset(), "seed " + SEED + " flip at " + pos);
        }
    }

    @Test
    void damageInAnUnflushedMiddleSegmentDropsEverythingAfterIt() throws IOException {
        Random random = new Random(SEED + 2);
        Path dir = tmp.resolve("log");
        // Background work never runs: rolled segments are never fsynced, so the recovery point
        // stays at 0 and recovery must walk every segment.
        LogEnvironment env = new LogEnvironment(clock::now, new OpenSegments(100), task -> { });
        List<Rec> all = writeAndAbandon(dir, random, 400, env);
        List<Path> segments;
        try (Stream<Path> s = Files.list(dir)) {
            segments = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        assertTrue(segments.size() >= 4, "need several segments, got " + segments.size());
        Path victim = segments.get(2);
        List<BatchSpan> spans = spans(victim, all);
        BatchSpan hit = spans.get(spans.size() / 2);
        try (FileChannel ch = FileChannel.open(victim, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x7f, 0x7f}), hit.start() + 40);
        }
        assertRecovered(dir, all, hit.baseOffset(), "seed " + SEED);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(3, s.filter(p -> p.toString().endsWith(".log")).count(), "later segments are dropped");
        }
    }

    @Test
    void cleanShutdownSkipsTheScanButACrashAfterReopenIsStillDetected() throws IOException {
        Path dir = tmp.resolve("log");
        try (Log log = Log.open(dir, config, LogTestSupport.env(clock))) {
            log.appendAsLeader(LogTestSupport.batch(1, "a", "b"), 0);
        }
        Log reopened = Log.open(dir, config, LogTestSupport.env(clock));
        assertTrue(reopened.recoveredCleanly());
        reopened.appendAsLeader(LogTestSupport.batch(1, "c"), 0);
        // Crash now: tear the last batch.
        Path file = dir.resolve("00000000000000000000.log");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3);
        }
        try (Log log = Log.open(dir, config, LogTestSupport.env(clock))) {
            assertFalse(log.recoveredCleanly());
            assertTrue(log.recoveryTruncatedBytes() > 0);
            assertEquals(List.of("a", "b"), LogTestSupport.values(readAll(log)));
            assertEquals(2, log.appendAsLeader(LogTestSupport.batch(1, "c2"), 0).firstOffset());
        }
    }

    private void assertRecovered(Path dir, List<Rec> all, long expectedEnd, String context) throws IOException {
        try (Log log = Log.open(dir, config, LogTestSupport.env(clock))) {
            assertFalse(log.recoveredCleanly(), context);
            assertEquals(expectedEnd, log.view().logEndOffset(), context);
            List<Rec> recovered = readAll(log);
            assertEquals(all.subList(0, (int) expectedEnd).stream().map(Rec::value).toList(),
                    recovered.stream().map(Rec::value).toList(), context);
            for (int i = 0; i < recovered.size(); i++) {
                assertEquals(i, recovered.get(i).offset(), context);
            }
            // The recovered log takes new appends right after the damage.
            assertEquals(expectedEnd, log.appendAsLeader(LogTestSupport.batch(1, "after"), 2).firstOffset(), context);
        }
        try (Log log = Log.open(dir, config, LogTestSupport.env(clock))) {
            assertEquals(expectedEnd + 1, log.view().logEndOffset(), context);
        }
    }
}

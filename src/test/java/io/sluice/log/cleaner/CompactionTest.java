package io.sluice.log.cleaner;

import io.sluice.log.LogConfig;
import io.sluice.log.LogEnvironment;
import io.sluice.log.LogReadResult;
import io.sluice.log.LogTestSupport;
import io.sluice.log.LogTestSupport.ManualClock;
import io.sluice.log.LogTestSupport.OpenLog;
import io.sluice.log.LogTestSupport.Rec;
import io.sluice.log.OpenSegments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.sluice.log.LogTestSupport.keyed;
import static io.sluice.log.LogTestSupport.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compaction: latest record per key, offsets kept, tombstones aged out, crash-safe swap. */
class CompactionTest {
    private static final long DAY = 24L * 3_600_000;

    @TempDir
    Path tmp;

    final ManualClock clock = new ManualClock(1000 * DAY);

    LogConfig.Builder compacted() {
        return LogConfig.builder().segmentBytes(1024).indexIntervalBytes(128).cleanupPolicy(false, true)
                .deleteRetentionMs(DAY).minCleanableDirtyRatio(0.01);
    }

    Cleaner cleaner() {
        return new Cleaner(new OffsetMap(1 << 20), clock::now);
    }

    LogEnvironment env() {
        return new LogEnvironment(clock::now, new OpenSegments(1000), Runnable::run);
    }

    /** A compacted log, changed through its writer on the test's thread, as the partition would. */
    OpenLog open(Path dir, LogConfig config) throws IOException {
        return OpenLog.open(dir, config, env());
    }

    /** Writes {@code rounds} values for each of {@code keys} keys, round by round; returns the latest per key. */
    Map<String, Rec> writeRounds(OpenLog log, int rounds, int keys) {
        Map<String, Rec> latest = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < keys; k++) {
                String key = "key" + k;
                String value = "r" + r + "-" + key;
                long offset = log.append(keyed(clock.now(), key, value), 0).firstOffset();
                latest.put(key, new Rec(offset, 0, key, value, List.of()));
            }
        }
        return latest;
    }

    @Test
    void keepsOnlyTheLatestRecordPerKeyAtItsOriginalOffset() throws IOException {
        try (OpenLog log = open(tmp, compacted().build())) {
            Map<String, Rec> latest = writeRounds(log, 20, 10);
            log.roll();
            long end = log.log().logEndOffset();
            assertTrue(cleaner().needsCleaning(log.log()));
            Cleaner.Result result = cleaner().clean(log.writer());
            assertNotNull(result);
            assertEquals(200, result.recordsRead());
            assertEquals(10, result.recordsKept());
            assertTrue(result.bytesAfter() < result.bytesBefore() / 10);
            List<Rec> after = readAll(log.log());
            assertEquals(10, after.size());
            for (Rec r : after) {
                assertEquals(latest.get(r.key()).offset(), r.offset(), "offsets are kept");
                assertEquals(latest.get(r.key()).value(), r.value());
            }
            assertEquals(end, log.log().logEndOffset());
            assertEquals(0, log.log().logStartOffset());
            assertEquals(end, log.log().cleanerCheckpoint());
            assertFalse(cleaner().needsCleaning(log.log()));
            // Appends and later cleanings go on from there.
            log.append(keyed(clock.now(), "key3", "newest"), 0);
            log.roll();
            assertNotNull(cleaner().clean(log.writer()));
            List<Rec> again = readAll(log.log());
            assertEquals(10, again.size());
            assertEquals("newest", again.stream().filter(r -> r.key().equals("key3")).findFirst().orElseThrow().value());
        }
        try (OpenLog log = open(tmp, compacted().build())) {
            assertEquals(10, readAll(log.log()).size(), "the compacted log survives a restart");
        }
    }

    @Test
    void theActiveSegmentIsNeverCompacted() throws IOException {
        try (OpenLog log = open(tmp, compacted().segmentBytes(1 << 20).build())) {
            writeRounds(log, 5, 3);
            assertNull(cleaner().clean(log.writer()));
            assertEquals(15, readAll(log.log()).size());
        }
    }

    @Test
    void tombstonesRemoveTheirKeyAndAreDroppedAfterDeleteRetention() throws IOException {
        try (OpenLog log = open(tmp, compacted().build())) {
            writeRounds(log, 5, 4);
            log.append(keyed(clock.now(), "key1", null), 0);
            log.roll();
            cleaner().clean(log.writer());
            List<Rec> cleaned = readAll(log.log());
            assertEquals(4, cleaned.size());
            Rec tomb = cleaned.stream().filter(r -> r.key().equals("key1")).findFirst().orElseThrow();
            assertNull(tomb.value(), "the tombstone stays while younger than delete.retention.ms");

            clock.advance(DAY + 1);
            log.append(keyed(clock.now(), "key0", "fresh"), 0);
            log.roll();
            cleaner().clean(log.writer());
            List<Rec> later = readAll(log.log());
            assertEquals(3, later.size());
            assertTrue(later.stream().noneMatch(r -> r.key().equals("key1")), "old tombstone dropped");
        }
    }

    @Test
    void minCompactionLagProtectsRecentSegments() throws IOException {
        try (OpenLog log = open(tmp, compacted().minCompactionLagMs(DAY).build())) {
            writeRounds(log, 10, 4);
            log.roll();
            assertNull(cleaner().clean(log.writer()));
            assertEquals(40, readAll(log.log()).size());
            clock.advance(DAY);
            assertNotNull(cleaner().clean(log.writer()));
            assertEquals(4, readAll(log.log()).size());
        }
    }

    @Test
    void compactAndDeleteAppliesBothPolicies() throws IOException {
        LogConfig cfg = compacted().cleanupPolicy(true, true).retentionMs(DAY).build();
        try (OpenLog log = open(tmp, cfg)) {
            writeRounds(log, 10, 4);
            clock.advance(2 * DAY);
            Map<String, Rec> recent = writeRounds(log, 3, 4);
            log.roll();
            assertNotNull(cleaner().clean(log.writer()));
            assertEquals(4, readAll(log.log()).size());
            assertTrue(log.writer().deleteOldSegments(Long.MAX_VALUE).join() > 0);
            List<Rec> left = readAll(log.log());
            assertEquals(4, left.size());
            for (Rec r : left) {
                assertEquals(recent.get(r.key()).value(), r.value());
            }
        }
    }

    @Test
    void readersNeverSeeAHalfCleanedLogWhileCompactionAndAppendsRun() throws Exception {
        try (OpenLog log = open(tmp, compacted().build())) {
            writeRounds(log, 10, 20);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger scans = new AtomicInteger();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    // Every scan sees increasing offsets and, per key, values that only move forward.
                    Map<String, Integer> round = new HashMap<>();
                    long last = -1;
                    for (Rec r : readAll(log.log())) {
                        assertTrue(r.offset() > last);
                        last = r.offset();
                        int n = Integer.parseInt(r.value().substring(1, r.value().indexOf('-')));
                        Integer before = round.put(r.key(), n);
                        assertTrue(before == null || before < n, "value went back for " + r.key());
                    }
                    scans.incrementAndGet();
                }
            });
            Cleaner cleaner = cleaner();
            for (int r = 10; r < 40; r++) {
                for (int k = 0; k < 20; k++) {
                    log.append(keyed(clock.now(), "key" + k, "r" + r + "-key" + k), 0);
                }
                cleaner.clean(log.writer());
            }
            while (scans.get() < 5) {
                Thread.onSpinWait();
            }
            stop.set(true);
            reader.get(30, TimeUnit.SECONDS);
            log.roll();
            cleaner.clean(log.writer());
            assertEquals(20, readAll(log.log()).size());
        }
    }

    /** Thrown by the swap hook to stop the process at a step, as a crash would: no cleanup runs. */
    static final class Crash extends Error {
        Crash(String step) {
            super(step, null, false, false);
        }
    }

    @Test
    void aCrashAtAnyStepOfTheSwapLeavesEitherTheOldOrTheNewSegments() throws IOException {
        // Reference runs: the log before cleaning and after an uninterrupted cleaning.
        Path refDir = tmp.resolve("reference");
        List<Rec> before;
        List<Rec> after;
        List<String> steps = new ArrayList<>();
        try (OpenLog log = open(refDir, compacted().build())) {
            buildSwapScenario(log);
            before = readAll(log.log());
            log.writer().onSwapStep(steps::add);
            assertNotNull(cleaner().clean(log.writer()));
            after = readAll(log.log());
        }
        assertTrue(after.size() < before.size());
        int commit = steps.indexOf("manifest-committed");
        assertEquals(List.of("fsync:cleaned-names", "cleaned-segments-durable", "segments-reserved", "fsync:manifest"),
                steps.subList(0, commit), "what happens before the commit point");
        assertEquals("segments-swapped", steps.get(commit + 1), "readers switch lists only once committed");
        assertTrue(steps.size() >= commit + 8, "steps: " + steps);
        assertEquals(List.of("fsync:renames", "fsync:manifest-deletion", "manifest-deleted", "fsync:log-state"),
                steps.subList(steps.size() - 4, steps.size()));

        for (int crashAt = 0; crashAt < steps.size(); crashAt++) {
            Path dir = tmp.resolve("crash" + crashAt);
            OpenLog log = open(dir, compacted().build());
            buildSwapScenario(log);
            int target = crashAt;
            AtomicInteger seen = new AtomicInteger();
            log.writer().onSwapStep(step -> {
                if (seen.getAndIncrement() == target) {
                    throw new Crash(step);
                }
            });
            assertThrows(Crash.class, () -> cleaner().clean(log.writer()));
            // The process is gone: no close. Reopen from what is on disk.
            try (OpenLog reopened = open(dir, compacted().build())) {
                List<Rec> recovered = readAll(reopened.log());
                List<Rec> expected = crashAt < commit ? before : after;
                assertEquals(expected.stream().map(Rec::toString).toList(), recovered.stream().map(Rec::toString).toList(),
                        "crash at step " + crashAt + " (" + steps.get(crashAt) + ")");
                try (Stream<Path> files = Files.list(dir)) {
                    assertTrue(files.noneMatch(p -> p.toString().endsWith(".cleaned") || p.endsWith("cleaner-swap")),
                            "no swap leftovers after step " + crashAt);
                }
                reopened.append(keyed(clock.now(), "key0", "post-crash"), 0);
                reopened.roll();
                assertNotNull(cleaner().clean(reopened.writer()), "a recovered log compacts again");
            }
        }
    }

    /** Several segments, so that the swap deletes some old files and renames several new ones. */
    private void buildSwapScenario(OpenLog log) {
        for (int r = 0; r < 30; r++) {
            for (int k = 0; k < 6; k++) {
                log.append(keyed(1000 + r, "key" + k, "r" + r + "-key" + k + "-" + "p".repeat(20)), 0);
            }
        }
        log.roll();
    }

    @Test
    void consumerOffsetsStyleReadsSkipCompactedGaps() throws IOException {
        try (OpenLog log = open(tmp, compacted().build())) {
            writeRounds(log, 10, 2);
            log.roll();
            cleaner().clean(log.writer());
            List<Long> offsets = new ArrayList<>();
            LogReadResult r = log.log().read(0, 1 << 20, Long.MAX_VALUE, true);
            long next = r.forEachRecord(100, c -> offsets.add(c.offset()));
            assertEquals(List.of(18L, 19L), offsets);
            assertEquals(20, next);
        }
    }
}

package io.sluice.log;

import io.sluice.log.LogTestSupport.ManualClock;
import io.sluice.log.LogTestSupport.Rec;
import io.sluice.log.cleaner.Cleaner;
import io.sluice.log.cleaner.OffsetMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static io.sluice.log.LogTestSupport.keyed;
import static io.sluice.log.LogTestSupport.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A compaction swap and the appends of the same log, on their real threads: the writer's, the
 * cleaner's, and the test's own standing in for the partition's event loop. Each fsync of the
 * swap is made as slow as the test likes by parking the cleaner's thread on a latch at the point
 * where it would force the disk; appends must complete meanwhile, inline and through the writer.
 * No timing: what runs while the swap is parked is proved by latches and futures.
 */
class SwapWhileAppendingTest {
    private static final long DAY = 24L * 3_600_000;
    private static final int KEYS = 6;

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(1000 * DAY);
    final ExecutorService writerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-log-writer"));
    final ExecutorService cleanerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-log-cleaner"));
    final ExecutorService eventLoop = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-event-loop"));

    @AfterEach
    void stop() {
        writerThread.shutdownNow();
        cleanerThread.shutdownNow();
        eventLoop.shutdownNow();
    }

    LogConfig compacted() {
        return LogConfig.builder().segmentBytes(1024).indexIntervalBytes(128).cleanupPolicy(false, true)
                .deleteRetentionMs(DAY).minCleanableDirtyRatio(0.01).build();
    }

    Cleaner cleaner() {
        return new Cleaner(new OffsetMap(1 << 20), clock::now);
    }

    /** Rounds of values for every key, in several rolled segments; the latest value per key. */
    Map<String, String> fill(LogWriter writer, int rounds) throws Exception {
        Map<String, String> latest = new LinkedHashMap<>();
        List<CompletableFuture<LogAppendInfo>> acks = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < KEYS; k++) {
                String value = "r" + r + "-" + "p".repeat(30);
                acks.add(writer.appendAsLeader(keyed(clock.now(), "key" + k, value), 0));
                latest.put("key" + k, value);
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        writer.roll().get(10, TimeUnit.SECONDS);
        return latest;
    }

    /** Parks whichever thread passes {@code step} until released. */
    static final class Gate {
        final String step;
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Thread parked;

        Gate(String step) {
            this.step = step;
        }

        void onStep(String name) {
            if (name.equals(step) && reached.getCount() > 0) {
                parked = Thread.currentThread();
                reached.countDown();
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("gate at " + step + " never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        void awaitReached() throws InterruptedException {
            assertTrue(reached.await(30, TimeUnit.SECONDS), "the swap reached " + step);
        }
    }

    /** Waits for a condition another thread brings about (no sleeping: the condition is checked). */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }

    @ParameterizedTest(name = "parked at {0}")
    @ValueSource(strings = {"fsync:cleaned-names", "fsync:manifest", "fsync:renames", "fsync:manifest-deletion",
            "fsync:log-state"})
    void appendsCompleteWhileTheSwapIsParkedAtAnyOfItsFsyncs(String fsync) throws Exception {
        LogWriter writer = LogWriter.open(dir, compacted(), LogTestSupport.env(clock), writerThread);
        Map<String, String> latest = fill(writer, 30);
        long before = writer.log().logEndOffset();
        Gate gate = new Gate(fsync);
        writer.onSwapStep(gate::onStep);

        CompletableFuture<Cleaner.Result> cleaning = CompletableFuture.supplyAsync(() -> {
            try {
                return cleaner().clean(writer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, cleanerThread);
        gate.awaitReached();
        assertEquals("test-log-cleaner", gate.parked.getName(), "the swap fsyncs on the cleaner's thread");

        // The swap is parked where it would wait for the disk. An append through the writer completes...
        LogAppendInfo queued = writer.appendAsLeader(keyed(clock.now(), "key0", "during-1"), 0).get(30, TimeUnit.SECONDS);
        assertEquals(before, queued.firstOffset());
        // ...and so does one made as a partition's event loop makes it, on a thread of its own: the
        // writer is idle (the swap holds no turn while it fsyncs) and the inline append takes no
        // lock the swap holds. (Were it to block, the bounded wait reports it instead of hanging.)
        List<LogAppendInfo> inline = CompletableFuture.supplyAsync(() -> {
            await("the writer lets go of its turn", writer::idle);
            return writer.tryAppendInline(List.of(keyed(clock.now(), "key1", "during-2")), 0);
        }, eventLoop).get(30, TimeUnit.SECONDS);
        assertNotNull(inline, "an inline append while the swap waits on " + fsync);
        assertEquals(before + 1, inline.get(0).firstOffset());
        assertEquals(before + 2, writer.log().logEndOffset());
        // Reads go on too.
        assertEquals("during-2", readAll(writer.log(), before + 1).get(0).value());
        assertFalse(cleaning.isDone(), "the swap is still parked");

        gate.release.countDown();
        Cleaner.Result result = cleaning.get(30, TimeUnit.SECONDS);
        assertNotNull(result);
        latest.put("key0", "during-1");
        latest.put("key1", "during-2");
        Map<String, String> seen = new LinkedHashMap<>();
        for (Rec r : readAll(writer.log())) {
            seen.put(r.key(), r.value());
        }
        assertEquals(latest, seen, "every key's latest value, the appends made during the swap included");
        assertTrue(readAll(writer.log()).size() < 30 * KEYS, "the log was compacted");
        writer.close().get(30, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(SegmentFiles.CLEANED_SUFFIX) || p.endsWith(CleanerSwap.FILE_NAME)));
        }
        LogWriter reopened = LogWriter.open(dir, compacted(), LogTestSupport.env(clock), writerThread);
        assertEquals(readAll(writer.log()).toString(), readAll(reopened.log()).toString(), "as it was after a restart");
        reopened.close().get(30, TimeUnit.SECONDS);
    }

    @Test
    void operationsThatRemoveSegmentsWaitForASwapInFlightAndKeepTheirOrder() throws Exception {
        LogWriter writer = LogWriter.open(dir, compacted(), LogTestSupport.env(clock), writerThread);
        fill(writer, 30);
        long end = writer.log().logEndOffset();
        Gate gate = new Gate("fsync:manifest");
        writer.onSwapStep(gate::onStep);
        CompletableFuture<Cleaner.Result> cleaning = CompletableFuture.supplyAsync(() -> {
            try {
                return cleaner().clean(writer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, cleanerThread);
        gate.awaitReached();

        // The segments are reserved: a truncation would delete some of them. It waits, and what
        // comes after it waits behind it.
        CompletableFuture<Void> truncation = writer.truncateTo(end - 1);
        await("the truncation waits for the swap", writer::waitingForSwap);
        CompletableFuture<LogAppendInfo> after = writer.appendAsLeader(keyed(clock.now(), "key0", "after"), 0);
        assertNull(writer.tryAppendInline(List.of(keyed(clock.now(), "key0", "x")), 0), "no append overtakes the truncation");
        assertFalse(truncation.isDone());
        assertFalse(after.isDone());
        assertEquals(end, writer.log().logEndOffset());

        gate.release.countDown();
        assertNotNull(cleaning.get(30, TimeUnit.SECONDS), "the swap went through");
        truncation.get(30, TimeUnit.SECONDS);
        assertEquals(end - 1, after.get(30, TimeUnit.SECONDS).firstOffset(), "the append after the truncation, in order");
        assertEquals(end, writer.log().logEndOffset());
        assertEquals("after", readAll(writer.log(), end - 1).get(0).value());
        writer.close().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aTruncationBeforeTheReservationWinsAndTheCleanedFilesGo() throws Exception {
        LogWriter writer = LogWriter.open(dir, compacted(), LogTestSupport.env(clock), writerThread);
        fill(writer, 30);
        Gate gate = new Gate("fsync:cleaned-names");
        writer.onSwapStep(gate::onStep);
        CompletableFuture<Cleaner.Result> cleaning = CompletableFuture.supplyAsync(() -> {
            try {
                return cleaner().clean(writer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, cleanerThread);
        gate.awaitReached();
        // Nothing is reserved yet: the truncation runs at once and takes the segments away.
        writer.truncateFullyAndStartAt(0).get(30, TimeUnit.SECONDS);
        gate.release.countDown();
        assertNull(cleaning.get(30, TimeUnit.SECONDS), "the swap found its segments gone");
        assertEquals(0, writer.log().logEndOffset());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(SegmentFiles.CLEANED_SUFFIX)), "the cleaned files went");
        }
        assertEquals(0, writer.appendAsLeader(keyed(clock.now(), "key0", "fresh"), 0).get(30, TimeUnit.SECONDS).firstOffset());
        writer.close().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aManifestThatCannotBeWrittenRollsTheSwapBackAndTheLogGoesOn() throws Exception {
        LogWriter writer = LogWriter.open(dir, compacted(), LogTestSupport.env(clock), writerThread);
        fill(writer, 30);
        List<Rec> before = readAll(writer.log());
        writer.onSwapStep(step -> {
            if (step.equals("fsync:manifest")) {
                throw new UncheckedIOException(new IOException("disk full"));
            }
        });
        assertThrows(UncheckedIOException.class, () -> cleaner().clean(writer));
        assertEquals(before.toString(), readAll(writer.log()).toString(), "the log is as it was");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(SegmentFiles.CLEANED_SUFFIX) || p.endsWith(CleanerSwap.FILE_NAME)));
        }
        assertEquals(before.size(), writer.appendAsLeader(keyed(clock.now(), "key0", "still-writable"), 0)
                .get(30, TimeUnit.SECONDS).firstOffset());
        writer.onSwapStep(step -> { });
        assertNotNull(cleaner().clean(writer), "the next cleaning succeeds");
        writer.close().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aFailureAfterTheCommitFailsTheLogAndTheNextOpenFinishesTheSwap() throws Exception {
        LogWriter writer = LogWriter.open(dir, compacted(), LogTestSupport.env(clock), writerThread);
        Map<String, String> latest = fill(writer, 30);
        writer.onSwapStep(step -> {
            if (step.equals("fsync:renames")) {
                throw new UncheckedIOException(new IOException("I/O error"));
            }
        });
        assertThrows(LogStorageException.class, () -> cleaner().clean(writer));
        Exception refused = assertThrows(Exception.class,
                () -> writer.appendAsLeader(keyed(clock.now(), "key0", "x"), 0).get(30, TimeUnit.SECONDS));
        assertInstanceOf(LogStorageException.class, refused.getCause(), "a failed log refuses writes");
        writer.close().get(30, TimeUnit.SECONDS);

        LogWriter reopened = LogWriter.open(dir, compacted(), LogTestSupport.env(clock), writerThread);
        List<Rec> recovered = readAll(reopened.log());
        assertEquals(KEYS, recovered.size(), "the committed swap was completed: one record per key");
        for (Rec r : recovered) {
            assertEquals(latest.get(r.key()), r.value());
        }
        reopened.close().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aCleanerInterruptedWhileItsReservationIsQueuedLeavesNoReservationBehind() throws Exception {
        LogWriter writer = LogWriter.open(dir, compacted(), LogTestSupport.env(clock), writerThread);
        fill(writer, 30);
        // The writer's thread is busy, so the swap's reservation has to queue for it.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        writer.submit(() -> {
            holding.countDown();
            return busy.await(30, TimeUnit.SECONDS);
        });
        assertTrue(holding.await(30, TimeUnit.SECONDS));
        AtomicReference<Thread> cleanerOf = new AtomicReference<>();
        CompletableFuture<Throwable> cleaning = CompletableFuture.supplyAsync(() -> {
            cleanerOf.set(Thread.currentThread());
            try {
                cleaner().clean(writer);
                return null;
            } catch (Throwable t) {
                return t;
            }
        }, cleanerThread);
        await("the cleaner waits for the writer to take its reservation",
                () -> cleanerOf.get() != null && cleanerOf.get().getState() == Thread.State.WAITING);
        cleanerOf.get().interrupt(); // (as LogCleanerService.close does)
        assertInstanceOf(InterruptedIOException.class, cleaning.get(30, TimeUnit.SECONDS));

        busy.countDown();
        // The queued reservation ran after all, and was undone after it: nothing waits for it.
        writer.truncateTo(0).get(30, TimeUnit.SECONDS);
        assertEquals(0, writer.log().logEndOffset());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(SegmentFiles.CLEANED_SUFFIX)), "the cleaned files went");
        }
        writer.close().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aSwapCannotBeStartedFromInsideTheWritersTurn() throws Exception {
        LogWriter writer = LogWriter.open(dir, compacted(), LogTestSupport.env(clock), writerThread);
        fill(writer, 3);
        CompletableFuture<Object> inside = writer.submit(() -> writer.replaceSegments(List.of(), List.of(), 0));
        Exception e = assertThrows(Exception.class, () -> inside.get(30, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause(), "it would wait for its own turn");
        writer.close().get(30, TimeUnit.SECONDS);
    }
}

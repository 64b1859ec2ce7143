package io.sluice.log;

import io.sluice.log.LogTestSupport.ManualClock;
import io.sluice.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.sluice.log.LogTestSupport.batch;
import static io.sluice.log.LogTestSupport.env;
import static io.sluice.log.LogTestSupport.readAll;
import static io.sluice.log.LogTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flush policies (every append, every N ms, never) and group commit. */
class FlushAndGroupCommitTest {
    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(1_000_000);
    final ExecutorService io = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        io.shutdownNow();
    }

    /**
     * Occupies the writer's thread (as a slow fsync would) until the returned latch is counted
     * down; returns once the blocking op has been taken off the queue and is running.
     */
    private static CountDownLatch holdWriter(LogWriter writer) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        writer.submit(() -> {
            holding.countDown();
            release.await();
            return 0;
        });
        assertTrue(holding.await(10, TimeUnit.SECONDS), "the writer took the blocking op");
        return release;
    }

    @Test
    void flushEveryAppendFsyncsEachAppendAndMovesTheRecoveryPoint() throws IOException {
        try (Log log = Log.open(dir, LogConfig.builder().flushMessages(1).build(), env(clock))) {
            long before = log.stats().fsyncs();
            log.appendAsLeader(batch(1, "a"), 0);
            assertEquals(before + 1, log.stats().fsyncs());
            assertEquals(1, log.view().recoveryPoint());
            log.appendAsLeader(batch(1, "b", "c"), 0);
            assertEquals(before + 2, log.stats().fsyncs());
            assertEquals(3, log.view().recoveryPoint());
        }
    }

    @Test
    void flushByIntervalWaitsForTheIntervalEvenWhenIdle() throws IOException {
        try (Log log = Log.open(dir, LogConfig.builder().flushMs(1000).build(), env(clock))) {
            long before = log.stats().fsyncs();
            log.appendAsLeader(batch(1, "a"), 0);
            assertEquals(before, log.stats().fsyncs());
            assertEquals(0, log.view().recoveryPoint());
            clock.advance(999);
            assertFalse(log.flushIfDue());
            clock.advance(1);
            assertTrue(log.flushIfDue(), "an idle log still flushes when its interval is up");
            assertEquals(1, log.view().recoveryPoint());
            assertFalse(log.flushIfDue(), "nothing new to flush");
            clock.advance(5000);
            log.appendAsLeader(batch(1, "b"), 0);
            assertEquals(2, log.view().recoveryPoint(), "an append past the interval flushes at once");
        }
    }

    @Test
    void neverFlushLeavesDurabilityToReplicasUntilClose() throws IOException {
        try (Log log = Log.open(dir, LogConfig.DEFAULT, env(clock))) {
            long before = log.stats().fsyncs();
            for (int i = 0; i < 100; i++) {
                log.appendAsLeader(batch(1, "x" + i), 0);
            }
            clock.advance(3_600_000);
            assertFalse(log.flushIfDue());
            assertEquals(before, log.stats().fsyncs());
            assertEquals(0, log.view().recoveryPoint());
        }
    }

    @Test
    void appendsHandedOverTogetherShareOneFsync() throws IOException {
        try (Log log = Log.open(dir, LogConfig.builder().flushMessages(1).build(), env(clock))) {
            long before = log.stats().fsyncs();
            List<RecordBatch> group = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                group.add(batch(1, "g" + i));
            }
            List<LogAppendInfo> results = log.appendAsLeader(group, 0);
            assertEquals(50, results.size());
            assertEquals(before + 1, log.stats().fsyncs());
            assertEquals(50, log.view().recoveryPoint());
            for (int i = 0; i < 50; i++) {
                assertEquals(i, results.get(i).firstOffset());
            }
        }
    }

    @Test
    void writerGroupsAppendsThatArriveWhileItIsBusy() throws Exception {
        try (Log log = Log.open(dir, LogConfig.builder().flushMessages(1).build(), env(clock))) {
            LogWriter writer = new LogWriter(log, io);
            // Hold the writer's thread so that the appends below queue up, as they would behind a
            // slow fsync, then let it go.
            CountDownLatch release = holdWriter(writer);
            long before = log.stats().fsyncs();
            List<CompletableFuture<LogAppendInfo>> acks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                acks.add(writer.appendAsLeader(batch(1, "w" + i), 0));
            }
            assertEquals(200, writer.queued());
            release.countDown();
            for (int i = 0; i < 200; i++) {
                assertEquals(i, acks.get(i).get(10, TimeUnit.SECONDS).firstOffset(), "offsets follow submission order");
            }
            assertEquals(before + 1, log.stats().fsyncs(), "200 queued appends, one fsync");
            assertEquals(200, log.view().recoveryPoint());
        }
    }

    @Test
    void concurrentAppendersFromManyThreadsAreAllStoredKeepingEachThreadsOrder() throws Exception {
        try (Log log = Log.open(dir, LogConfig.builder().flushMessages(1).build(), env(clock))) {
            LogWriter writer = new LogWriter(log, io);
            ExecutorService producers = Executors.newFixedThreadPool(8);
            try {
                List<CompletableFuture<LogAppendInfo>> acks = new ArrayList<>();
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<Void>> sent = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int id = t;
                    List<CompletableFuture<LogAppendInfo>> mine = new ArrayList<>();
                    sent.add(CompletableFuture.runAsync(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        for (int i = 0; i < 100; i++) {
                            mine.add(writer.appendAsLeader(batch(1, id + ":" + i), 0));
                        }
                        synchronized (acks) {
                            acks.addAll(mine);
                        }
                    }, producers));
                }
                go.countDown();
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                assertEquals(800, log.view().logEndOffset());
                List<String> stored = values(readAll(log));
                assertEquals(800, stored.stream().distinct().count());
                for (int t = 0; t < 8; t++) {
                    String prefix = t + ":";
                    List<String> mine = stored.stream().filter(v -> v.startsWith(prefix)).toList();
                    for (int i = 0; i < 100; i++) {
                        assertEquals(prefix + i, mine.get(i), "each thread's appends keep their order");
                    }
                }
                assertEquals(800, log.view().recoveryPoint());
            } finally {
                producers.shutdownNow();
            }
        }
    }

    @Test
    void anIdleWriterAppendsSmallBatchesOnTheCallersThreadWhenNoFlushOrRollIsDue() throws Exception {
        try (Log log = Log.open(dir, LogConfig.DEFAULT, env(clock))) {
            // (Epoch 0 is open: its first append wrote the epoch checkpoint, which no inline append does.)
            log.appendAsLeader(batch(1, "a"), 0);
            LogWriter writer = new LogWriter(log, io);
            List<LogAppendInfo> done = writer.tryAppendInline(List.of(batch(1, "b", "c"), batch(1, "d")), 0);
            assertEquals(List.of(1L, 3L), done.stream().map(LogAppendInfo::firstOffset).toList());
            assertEquals(4, log.view().logEndOffset(), "written before the call returned");
            assertEquals(0, log.stats().fsyncs());
            // What was queued before goes first: an inline append never overtakes it.
            CountDownLatch release = holdWriter(writer);
            assertEquals(null, writer.tryAppendInline(List.of(batch(1, "e")), 0), "the writer is running an op");
            CompletableFuture<LogAppendInfo> queued = writer.appendAsLeader(batch(1, "e"), 0);
            release.countDown();
            assertEquals(4, queued.get(10, TimeUnit.SECONDS).firstOffset());
            // The writer's thread lets go of the log just after completing its last op.
            List<LogAppendInfo> inline = null;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); inline == null && System.nanoTime() < deadline; ) {
                inline = writer.tryAppendInline(List.of(batch(1, "f")), 0);
            }
            assertEquals(5, inline.get(0).firstOffset());
            assertEquals(List.of("a", "b", "c", "d", "e", "f"), values(readAll(log)));
        }
    }

    @Test
    void appendsThatWouldFsyncOrRollAreLeftToTheWriterThread() throws Exception {
        try (Log fresh = Log.open(dir.resolve("epoch"), LogConfig.DEFAULT, env(clock))) {
            LogWriter writer = new LogWriter(fresh, io);
            assertEquals(null, writer.tryAppendInline(List.of(batch(1, "a")), 0), "a new leader epoch: its checkpoint is fsynced");
            assertEquals(0, fresh.view().logEndOffset());
            assertEquals(0, writer.appendAsLeader(batch(1, "a"), 0).get(10, TimeUnit.SECONDS).firstOffset());
            assertEquals(0, fresh.leaderEpochCache().latestEpoch());
        }
        try (Log fsyncing = Log.open(dir.resolve("fsync"), LogConfig.builder().flushMessages(1).build(), env(clock))) {
            fsyncing.leaderEpochCache().assign(0, 0);
            LogWriter writer = new LogWriter(fsyncing, io);
            assertEquals(null, writer.tryAppendInline(List.of(batch(1, "a")), 0), "flush.messages=1: an fsync is due");
            assertEquals(0, fsyncing.view().logEndOffset());
        }
        try (Log timed = Log.open(dir.resolve("timed"), LogConfig.builder().flushMs(1000).build(), env(clock))) {
            timed.leaderEpochCache().assign(0, 0);
            LogWriter writer = new LogWriter(timed, io);
            assertEquals(0, writer.tryAppendInline(List.of(batch(1, "a")), 0).get(0).firstOffset());
            clock.advance(1000);
            assertEquals(null, writer.tryAppendInline(List.of(batch(1, "b")), 0), "flush.ms has passed");
        }
        // (Batches of one 500-byte record: two of them fill a 1024-byte segment.)
        LogConfig small = LogConfig.builder().segmentBytes(1024).build();
        try (Log rolling = Log.open(dir.resolve("roll"), small, env(clock))) {
            rolling.leaderEpochCache().assign(0, 0);
            LogWriter writer = new LogWriter(rolling, io);
            assertEquals(0, writer.tryAppendInline(List.of(LogTestSupport.sized(1, 0, 1, 500)), 0).get(0).firstOffset());
            assertEquals(null, writer.tryAppendInline(List.of(LogTestSupport.sized(1, 1, 1, 500)), 0), "the segment is full: a roll is due");
            assertEquals(1, rolling.view().segmentCount());
            assertEquals(1, writer.appendAsLeader(LogTestSupport.sized(1, 1, 1, 500), 0).get(10, TimeUnit.SECONDS).firstOffset());
            assertEquals(2, rolling.view().segmentCount());
        }
    }

    @Test
    void writerRunsOtherOperationsInOrderAndReportsFailures() throws Exception {
        try (Log log = Log.open(dir, LogConfig.DEFAULT, env(clock))) {
            LogWriter writer = new LogWriter(log, io);
            writer.appendAsLeader(batch(1, "a", "b", "c"), 0);
            CompletableFuture<Long> end = writer.submit(() -> {
                log.truncateTo(1);
                return log.view().logEndOffset();
            });
            CompletableFuture<LogAppendInfo> after = writer.appendAsLeader(batch(1, "d"), 0);
            assertEquals(0, end.get(10, TimeUnit.SECONDS), "the batch holding offset 1 goes whole");
            assertEquals(0, after.get(10, TimeUnit.SECONDS).firstOffset());
            CompletableFuture<Object> failing = writer.submit(() -> {
                throw new IllegalStateException("boom");
            });
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> failing.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals(1, writer.appendAsLeader(batch(1, "e"), 0).get(10, TimeUnit.SECONDS).firstOffset());
        }
    }
}

package io.sluice.log;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.sluice.log.LogTestSupport.batch;
import static io.sluice.log.LogTestSupport.env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What opening a cleanly closed log costs: nothing durable until the log changes. The removal
 * of the clean-shutdown marker is made durable by the first change, on the writer's thread (an
 * event loop's inline append declines until then), and cutting epoch entries that describe no
 * records leaves nothing for the next flush to fsync.
 */
class CleanStartTest {
    @TempDir
    Path dir;
    final LogTestSupport.ManualClock clock = new LogTestSupport.ManualClock(1_000);
    final ExecutorService io = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        io.shutdownNow();
    }

    @Test
    void theFirstChangeAfterACleanOpenGoesThroughTheWriterThreadAndLaterOnesMayBeInline() throws Exception {
        try (Log log = Log.open(dir, LogConfig.DEFAULT, env(clock))) {
            log.appendAsLeader(batch(1, "a"), 0);
        }
        assertTrue(Files.exists(dir.resolve(LogLoader.CLEAN_SHUTDOWN_FILE)));
        try (Log log = Log.open(dir, LogConfig.DEFAULT, env(clock))) {
            assertTrue(log.recoveredCleanly());
            assertFalse(Files.exists(dir.resolve(LogLoader.CLEAN_SHUTDOWN_FILE)), "a crash from here on must be detected");
            LogWriter writer = new LogWriter(log, io);
            assertNull(writer.tryAppendInline(List.of(batch(1, "b")), 0),
                    "the marker's removal is not durable yet: an event loop must not fsync the directory");
            assertEquals(1, writer.appendAsLeader(batch(1, "b"), 0).get(10, TimeUnit.SECONDS).firstOffset());
            List<LogAppendInfo> inline = null;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); inline == null && System.nanoTime() < deadline; ) {
                inline = writer.tryAppendInline(List.of(batch(1, "c")), 0);
            }
            assertNotNull(inline, "once it is durable, small appends are inline again");
            assertEquals(2, inline.get(0).firstOffset());
        }
    }

    @Test
    void cuttingEpochsThatDescribeNoRecordsLeavesNothingToSync() throws Exception {
        try (Log log = Log.open(dir, LogConfig.DEFAULT, env(clock))) {
            log.maybeAssignEpochStartOffset(0);
            log.appendAsLeader(batch(1, "a"), 0);
            log.flush();
            log.maybeAssignEpochStartOffset(2); // (a partition that changed leaders after its last record)
            assertFalse(log.leaderEpochCache().unsynced());
        }
        assertEquals(2, LeaderEpochCache.load(dir).entries().size());
        try (Log log = Log.open(dir, LogConfig.DEFAULT, env(clock))) {
            assertEquals(List.of(new LeaderEpochCache.EpochEntry(0, 0)), log.leaderEpochCache().entries(),
                    "entries starting at the log end are cut");
            assertFalse(log.leaderEpochCache().unsynced(), "a cut a crash may undo is undone again by the next open");
        }
        assertEquals(2, LeaderEpochCache.load(dir).entries().size(), "the file was not rewritten at all");
        try (Log log = Log.open(dir, LogConfig.DEFAULT, env(clock))) {
            assertEquals(List.of(new LeaderEpochCache.EpochEntry(0, 0)), log.leaderEpochCache().entries(),
                    "and every open cuts what it holds again");
        }
    }

    @Test
    void aCutAfterAnUnsyncedFirstEpochLeavesThatEpochForTheNextSync() throws Exception {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        cache.assign(4, 10);
        assertTrue(cache.unsynced());
        cache.truncateFromStart(12);
        assertTrue(cache.unsynced(), "the first epoch still needs its fsync");
        cache.sync(10);
        assertTrue(cache.unsynced(), "a recovery point at the epoch's start passes none of its batches");
        cache.sync(13);
        assertFalse(cache.unsynced());
        assertEquals(List.of(new LeaderEpochCache.EpochEntry(4, 12)), LeaderEpochCache.load(dir).entries());
    }
}

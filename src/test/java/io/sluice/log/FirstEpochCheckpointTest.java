package io.sluice.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first epoch of a new log is kept in memory (creating 10,000 partitions spent two fsyncs
 * per partition on it), and written and made durable before any batch of it falls below the
 * recovery point; every later epoch change is durable at once.
 */
class FirstEpochCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void theFirstEpochIsSyncedByTheFirstFlushAndLaterOnesAtOnce() throws Exception {
        Log log = Log.open(dir, LogConfig.builder().build(), LogEnvironment.defaults());
        log.maybeAssignEpochStartOffset(0);
        assertTrue(log.leaderEpochCache().unsynced(), "the first epoch of an empty cache waits for a flush");
        log.appendAsLeader(LogTestSupport.batch(1, "a", "b"), 0);
        assertTrue(log.leaderEpochCache().unsynced());
        log.flush();
        assertFalse(log.leaderEpochCache().unsynced(), "durable before the recovery point passes its batches");
        assertEquals(2, log.view().recoveryPoint());

        log.maybeAssignEpochStartOffset(3);
        assertFalse(log.leaderEpochCache().unsynced(), "a later epoch is durable at once");
        log.close();
        assertEquals(List.of(new LeaderEpochCache.EpochEntry(0, 0), new LeaderEpochCache.EpochEntry(3, 2)),
                LeaderEpochCache.load(dir).entries());
    }

    @Test
    void aNeverWrittenLogsFirstEpochIsNeitherWrittenNorFsyncedEvenAtClose() throws Exception {
        Log log = Log.open(dir, LogConfig.builder().build(), LogEnvironment.defaults());
        log.maybeAssignEpochStartOffset(5);
        assertTrue(log.leaderEpochCache().unsynced());
        assertFalse(java.nio.file.Files.exists(dir.resolve(LeaderEpochCache.FILE_NAME)), "kept in memory");
        log.close();
        assertFalse(java.nio.file.Files.exists(dir.resolve(LeaderEpochCache.FILE_NAME)),
                "an epoch that describes no record is cut at the next open anyway");
        try (Log reopened = Log.open(dir, LogConfig.builder().build(), LogEnvironment.defaults())) {
            assertEquals(List.of(), reopened.leaderEpochCache().entries());
        }
    }

    @Test
    void epochsThatChangeBeforeAnythingIsDurableWaitForTheFirstFlushToo() throws Exception {
        // A partition created, fenced and led again (epochs 0 then 2) before its first append: no
        // fsync per partition for the second epoch, since the file holds nothing durable to lose.
        Log log = Log.open(dir, LogConfig.builder().build(), LogEnvironment.defaults());
        log.maybeAssignEpochStartOffset(0);
        log.maybeAssignEpochStartOffset(2);
        assertTrue(log.leaderEpochCache().unsynced(), "nothing durable yet: the second epoch waits too");
        assertFalse(java.nio.file.Files.exists(dir.resolve(LeaderEpochCache.FILE_NAME)));
        log.appendAsLeader(LogTestSupport.batch(1, "a"), 2);
        log.flush();
        assertFalse(log.leaderEpochCache().unsynced(), "durable before the recovery point passes its batches");
        assertEquals(List.of(new LeaderEpochCache.EpochEntry(0, 0), new LeaderEpochCache.EpochEntry(2, 0)),
                LeaderEpochCache.load(dir).entries());

        log.maybeAssignEpochStartOffset(4);
        assertFalse(log.leaderEpochCache().unsynced(), "once the file holds durable entries, a new epoch is durable at once");
        log.close();
    }

    @Test
    void aCheckpointFoundAtOpenIsTreatedAsDurable() throws Exception {
        try (Log log = Log.open(dir, LogConfig.builder().build(), LogEnvironment.defaults())) {
            log.maybeAssignEpochStartOffset(1);
            log.appendAsLeader(LogTestSupport.batch(1, "a"), 1);
            log.flush();
        }
        try (Log reopened = Log.open(dir, LogConfig.builder().build(), LogEnvironment.defaults())) {
            reopened.maybeAssignEpochStartOffset(3);
            assertFalse(reopened.leaderEpochCache().unsynced(), "the entries on disk must not be put at risk");
        }
    }
}

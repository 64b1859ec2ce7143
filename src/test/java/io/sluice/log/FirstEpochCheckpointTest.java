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
        assertEquals(2, log.recoveryPoint());

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
}

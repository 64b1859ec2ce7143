package io.sluice.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first epoch of a new log is checkpointed without an fsync (creating 10,000 partitions
 * spent two per partition on it), and made durable before any batch falls below the recovery
 * point; every later epoch change is durable at once.
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
    void closingANeverWrittenLogMakesItsFirstEpochDurable() throws Exception {
        Log log = Log.open(dir, LogConfig.builder().build(), LogEnvironment.defaults());
        log.maybeAssignEpochStartOffset(5);
        assertTrue(log.leaderEpochCache().unsynced());
        log.close();
        assertFalse(log.leaderEpochCache().unsynced());
        assertEquals(List.of(new LeaderEpochCache.EpochEntry(5, 0)), LeaderEpochCache.load(dir).entries());
    }
}

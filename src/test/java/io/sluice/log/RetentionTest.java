package io.sluice.log;

import io.sluice.log.LogTestSupport.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.sluice.log.LogTestSupport.env;
import static io.sluice.log.LogTestSupport.offsets;
import static io.sluice.log.LogTestSupport.readAll;
import static io.sluice.log.LogTestSupport.sized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention by time and by size: whole non-active segments, oldest first. */
class RetentionTest {
    private static final long HOUR = 3_600_000;

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(100 * HOUR);

    /** Ten records of 100 bytes per batch; one batch fills a segment of 1200 bytes. */
    private static LogConfig.Builder small() {
        return LogConfig.builder().segmentBytes(1200).indexIntervalBytes(256);
    }

    private void appendSegments(Log log, int segments, long timestamp) {
        for (int i = 0; i < segments; i++) {
            log.appendAsLeader(sized(timestamp, (int) log.view().logEndOffset(), 10, 100), 0);
        }
    }

    @Test
    void deletesSegmentsWhoseNewestRecordIsOlderThanRetentionMs() throws IOException {
        LogConfig cfg = small().retentionMs(HOUR).build();
        try (Log log = Log.open(dir, cfg, env(clock))) {
            appendSegments(log, 4, clock.now() - 2 * HOUR);
            appendSegments(log, 3, clock.now() - HOUR / 2);
            assertEquals(7, log.view().segmentCount());
            assertEquals(4, log.deleteOldSegments(Long.MAX_VALUE));
            assertEquals(40, log.view().logStartOffset());
            assertEquals(3, log.view().segmentCount());
            assertEquals(40, readAll(log).get(0).offset());
            assertThrows(LogException.OffsetOutOfRange.class, () -> log.view().read(39, 1000, Long.MAX_VALUE, true));
            assertTrue(Files.notExists(dir.resolve("00000000000000000000.log")));
            assertEquals(0, log.deleteOldSegments(Long.MAX_VALUE), "nothing else expired");
            clock.advance(10 * HOUR);
            assertEquals(2, log.deleteOldSegments(Long.MAX_VALUE), "the active segment always stays");
            assertEquals(1, log.view().segmentCount());
            assertEquals(60, log.view().logStartOffset());
        }
        try (Log log = Log.open(dir, cfg, env(clock))) {
            assertEquals(60, log.view().logStartOffset(), "the log start survives a restart");
            assertEquals(70, log.view().logEndOffset());
        }
    }

    @Test
    void deletesOldestSegmentsWhileTheLogExceedsRetentionBytes() throws IOException {
        try (Log log = Log.open(dir, small().build(), env(clock))) {
            appendSegments(log, 6, clock.now());
            long segment = log.view().size() / 6;
            log.updateConfig(small().retentionBytes(segment * 3 + segment / 2).build());
            assertEquals(2, log.deleteOldSegments(Long.MAX_VALUE), "down to 4 segments: the next deletion would undershoot");
            assertEquals(4, log.view().segmentCount());
            assertTrue(log.view().size() <= segment * 4);
            assertEquals(20, log.view().logStartOffset());
            assertEquals(40, readAll(log).size());
        }
    }

    @Test
    void neverDeletesPastTheGivenBoundSuchAsTheHighWatermark() throws IOException {
        LogConfig cfg = small().retentionMs(HOUR).build();
        try (Log log = Log.open(dir, cfg, env(clock))) {
            appendSegments(log, 5, clock.now() - 2 * HOUR);
            assertEquals(2, log.deleteOldSegments(25), "segments ending above offset 25 are kept");
            assertEquals(20, log.view().logStartOffset());
            assertEquals(2, log.deleteOldSegments(Long.MAX_VALUE));
        }
    }

    @Test
    void compactOnlyTopicsAreNotDeletedByRetention() throws IOException {
        LogConfig cfg = small().retentionMs(HOUR).retentionBytes(1).cleanupPolicy(false, true).build();
        try (Log log = Log.open(dir, cfg, env(clock))) {
            appendSegments(log, 4, clock.now() - 2 * HOUR);
            assertEquals(0, log.deleteOldSegments(Long.MAX_VALUE));
            assertEquals(offsets(readAll(log)).size(), 40);
        }
    }

    @Test
    void infiniteRetentionKeepsEverything() throws IOException {
        LogConfig cfg = small().retentionMs(-1).retentionBytes(-1).build();
        try (Log log = Log.open(dir, cfg, env(clock))) {
            appendSegments(log, 4, 0);
            clock.advance(1000 * HOUR);
            assertEquals(0, log.deleteOldSegments(Long.MAX_VALUE));
        }
    }
}

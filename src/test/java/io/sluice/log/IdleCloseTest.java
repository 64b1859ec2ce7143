package io.sluice.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A log closed without having changed rewrites no {@code log-state} (each rewrite is two fsyncs,
 * times every partition of a node at a clean stop), yet reopens clean with the same offsets; a log
 * that did change rewrites it.
 */
class IdleCloseTest {
    @TempDir
    Path dir;

    private final LogConfig config = LogConfig.builder().build();

    @Test
    void anIdleLogClosesWithoutRewritingItsState() throws Exception {
        Log log = Log.open(dir, config, LogEnvironment.defaults());
        log.appendAsLeader(LogTestSupport.batch(1, "a", "b", "c"), 1);
        log.close();
        Object afterWrites = fileKey(LogState.FILE_NAME);

        for (int round = 0; round < 2; round++) {
            Log reopened = Log.open(dir, config, LogEnvironment.defaults());
            assertTrue(reopened.recoveredCleanly(), "round " + round);
            assertFalse(Files.exists(dir.resolve(LogLoader.CLEAN_SHUTDOWN_FILE)), "the marker goes at open");
            assertEquals(3, reopened.view().logEndOffset());
            reopened.close();
            assertTrue(Files.exists(dir.resolve(LogLoader.CLEAN_SHUTDOWN_FILE)));
            // (A rewrite renames a new file over the old: a new inode.)
            assertEquals(afterWrites, fileKey(LogState.FILE_NAME), "log-state rewritten by an idle close, round " + round);
        }
        assertEquals(new LogState(3, 0, 0), LogState.read(dir));

        Log busy = Log.open(dir, config, LogEnvironment.defaults());
        busy.appendAsLeader(LogTestSupport.batch(1, "d"), 1);
        busy.close();
        assertNotEquals(afterWrites, fileKey(LogState.FILE_NAME));
        assertEquals(new LogState(4, 0, 0), LogState.read(dir));
    }

    private Object fileKey(String name) throws Exception {
        return Files.readAttributes(dir.resolve(name), BasicFileAttributes.class).fileKey();
    }
}

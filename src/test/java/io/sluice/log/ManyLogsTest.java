package io.sluice.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.sluice.log.LogTestSupport.offsets;
import static io.sluice.log.LogTestSupport.readAll;
import static io.sluice.log.LogTestSupport.sized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of partitions on one node: open file handles and loaded indexes stay within the
 * {@link OpenSegments} cap however many logs and segments exist, and idle segments reopen on use.
 */
class ManyLogsTest {
    private static final int LOGS = 1500;
    private static final int CAP = 64;

    @TempDir
    Path tmp;

    @Test
    void fileHandlesAndIndexesStayBoundedAcrossThousandsOfLogs() throws IOException {
        OpenSegments open = new OpenSegments(CAP);
        LogEnvironment env = new LogEnvironment(System::currentTimeMillis, open, Runnable::run);
        LogConfig cfg = LogConfig.builder().segmentBytes(2048).indexIntervalBytes(256).build();
        long fdsBefore = openFileDescriptors();
        List<Log> logs = new ArrayList<>();
        try {
            for (int i = 0; i < LOGS; i++) {
                Log log = Log.open(tmp.resolve("topic-" + i), cfg, env);
                logs.add(log);
                for (int b = 0; b < 2; b++) {
                    log.appendAsLeader(sized(1000, b * 10, 10, 100), 0);
                }
                assertTrue(open.openCount() <= CAP + 1, "open segments " + open.openCount());
            }
            int segments = logs.stream().mapToInt(l -> l.view().segmentCount()).sum();
            assertTrue(segments >= 2 * LOGS, "segments: " + segments);
            assertTrue(openFileDescriptors() - fdsBefore <= CAP + 16,
                    "descriptors grew by " + (openFileDescriptors() - fdsBefore) + " for " + segments + " segments");
            assertTrue(open.evictions() >= segments - CAP, "evictions " + open.evictions() + ", segments " + segments);

            // Every log still reads back fully: idle segments reopen and reload their indexes.
            for (Log log : logs) {
                assertEquals(20, readAll(log).size());
                assertEquals(0, log.view().offsetForTimestamp(1000));
            }
            assertTrue(openFileDescriptors() - fdsBefore <= CAP + 16);
            assertTrue(open.openCount() <= CAP);
            // And appends to a long-idle log go on at the right offset, written at the end of its
            // reopened segment file (a new channel's position is 0: it must seek before writing).
            assertEquals(20, logs.get(0).appendAsLeader(sized(1000, 20, 1, 10), 0).firstOffset());
            assertEquals(java.util.stream.LongStream.range(0, 21).boxed().toList(), offsets(readAll(logs.get(0))));
        } finally {
            for (Log log : logs) {
                log.close();
            }
        }
        assertTrue(openFileDescriptors() - fdsBefore <= 16, "closing releases every descriptor");
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}

package io.sluice.log;

import io.sluice.log.LogTestSupport.Rec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child JVM appends with fsync per append and is killed with SIGKILL at a random moment;
 * every append it confirmed must be in the reopened log, and the log must be consistent.
 * Repeated on the same directory, so recovery also runs over logs that were recovered before.
 */
class LogCrashTest {
    private static final long SEED = Long.getLong("sluice.test.seed", 20261125L);

    @TempDir
    Path dir;

    @Test
    void everyConfirmedAppendSurvivesSigkill() throws Exception {
        Random random = new Random(SEED);
        Map<Long, String> confirmed = new HashMap<>();
        for (int round = 0; round < 4; round++) {
            int killAfter = 50 + random.nextInt(1500);
            Process child = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
                    LogCrashChild.class.getName(), dir.toString(), "4")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            int acks = 0;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        String[] parts = line.split(" ");
                        confirmed.put(Long.parseLong(parts[1]), parts[2]);
                        if (++acks == killAfter) {
                            child.toHandle().destroyForcibly(); // SIGKILL; unlike Process.destroyForcibly it leaves the pipe readable
                        }
                    }
                }
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            assertTrue(acks >= killAfter, "child stopped early after " + acks + " acks (round " + round + ")");

            try (Log log = Log.open(dir, LogConfig.builder().segmentBytes(64 * 1024).build(), LogEnvironment.defaults())) {
                assertFalse(log.recoveredCleanly());
                List<Rec> recs = LogTestSupport.readAll(log);
                for (int i = 0; i < recs.size(); i++) {
                    assertEquals(i, recs.get(i).offset(), "offsets stay consecutive");
                }
                for (Map.Entry<Long, String> e : confirmed.entrySet()) {
                    assertTrue(e.getKey() < recs.size(), "confirmed offset " + e.getKey() + " lost (round " + round
                            + ", log end " + log.view().logEndOffset() + ")");
                    assertEquals(e.getValue(), recs.get(e.getKey().intValue()).value());
                }
            }
            // Simulate the next crash on a log that was opened (and closed) in between, too.
            java.nio.file.Files.deleteIfExists(dir.resolve(".clean-shutdown"));
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

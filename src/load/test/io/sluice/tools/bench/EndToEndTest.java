package io.sluice.tools.bench;

import io.sluice.testing.TestNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load tool's {@code e2e} workload against a real node: every measured record is timed once,
 * the latency log holds exactly those records, the schedule never runs ahead of {@code --rate}, and
 * {@code --pacing sync} never has more than one record waiting for its acknowledgement.
 */
class EndToEndTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"ws,open", "ws,sync", "http,open", "http,sync"})
    void everyMeasuredRecordIsDeliveredAndTimedOnce(String via, String pacing) throws Exception {
        Path latencyLog = dir.resolve("latency.txt");
        try (TestNode node = TestNode.start(dir.resolve("node"))) {
            Results r = LoadTool.parse("e2e", "--url", "http://127.0.0.1:" + node.port(),
                    "--topic", "e2e", "--create-topic", "--records", "300", "--warmup", "50", "--warmup-rate", "2000", "--rate", "500",
                    "--via", via, "--pacing", pacing, "--latency-log", latencyLog.toString()).execute();
            assertFalse(r.failed(), "the run reported a failure");
            assertEquals("300", r.get("latency.count"));
            assertEquals(pacing, r.get("pacing"));
            assertEquals("2000", r.get("warmup_rate"));
            double achieved = Double.parseDouble(r.get("rate_achieved"));
            assertTrue(achieved <= 505, "the schedule never sends ahead of time: " + achieved + "/s");
            if (pacing.equals("sync")) {
                assertEquals("1", r.get("max_in_flight"), "sync pacing sends after the previous acknowledgement");
            }
            List<String> lines = Files.readAllLines(latencyLog);
            assertEquals(300, lines.size());
            Set<Integer> seqs = new HashSet<>();
            for (String line : lines) {
                String[] f = line.split(" ");
                int seq = Integer.parseInt(f[0]);
                assertTrue(seq >= 50 && seq < 350, "only measured records: " + line);
                assertTrue(Long.parseLong(f[1]) > 0, "a positive latency: " + line);
                seqs.add(seq);
            }
            assertEquals(300, seqs.size(), "each measured record once");
        }
    }
}

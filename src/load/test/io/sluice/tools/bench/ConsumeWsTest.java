package io.sluice.tools.bench;

import io.sluice.testing.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load tool's {@code consume-ws} workload against a real node: it reads every record the
 * produce workload wrote, counted and checked for contiguous offsets from the raw frames, after a
 * warm-up that reads the topic again and again for {@code --warmup-s}, not once.
 */
class ConsumeWsTest {
    @TempDir
    Path dir;

    private static Results run(int port, String workload, String... more) {
        String[] base = {workload, "--url", "http://127.0.0.1:" + port, "--topic", "cw", "--records", "5000"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return LoadTool.parse(all).execute();
    }

    @Test
    void readsEveryRecordAfterAWarmUpOfSeveralPasses() throws Exception {
        try (TestNode node = TestNode.start(dir.resolve("node"))) {
            Results produced = run(node.port(), "produce-batch", "--create-topic", "--warmup-s", "0", "--batch", "500");
            assertFalse(produced.failed(), "the produce run reported a failure");

            Results r = run(node.port(), "consume-ws", "--warmup-s", "2", "--credit", "1000", "--max-frame-bytes", "16384");
            assertFalse(r.failed(), "the consume run reported a failure");
            assertEquals("5000", r.get("records"));
            assertEquals("0", r.get("errors"));
            long warm = Long.parseLong(r.get("warmup_records"));
            assertTrue(warm >= 10_000, "the warm-up read the 5,000 records more than once: " + warm);
        }
    }
}

package io.sluice.tools.bench;

import io.sluice.testing.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load tool's {@code consume-fanout} workload against a real node: more consumers of one topic
 * than Vert.x's client opens by default read it at once, and the window's count is theirs; an
 * empty topic is refused. (What the window makes of the counts: {@link FanoutWindowTest}.)
 */
class ConsumeFanoutTest {
    @TempDir
    Path dir;

    private static Results run(int port, String workload, String... more) {
        String[] base = {workload, "--url", "http://127.0.0.1:" + port};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return LoadTool.parse(all).execute();
    }

    @Test
    void countsWhatEveryConsumerReceivesInTheWindow() throws Exception {
        try (TestNode node = TestNode.start(dir.resolve("node"))) {
            // The consumers start together (held without credit until all are subscribed), so none has
            // read the topic when the window opens, however fast the machine.
            Results produced = run(node.port(), "produce-batch", "--topic", "fan", "--create-topic", "--records", "200000",
                    "--warmup-s", "0");
            assertFalse(produced.failed(), "the produce run reported a failure");

            Results r = run(node.port(), "consume-fanout", "--topic", "fan", "--consumers", "60", "--warmup-s", "0",
                    "--duration-s", "1", "--max-frame-bytes", "65536");
            assertFalse(r.failed(), "the fan-out run reported a failure");
            assertEquals("60", r.get("consumers"));
            assertEquals("200000", r.get("topic_records"));
            assertEquals("0", r.get("caught_up_before_window"));
            assertEquals("0", r.get("total.errors"));
            long window = Long.parseLong(r.get("window_records"));
            assertTrue(window > 0, "records arrived in the window");
            assertTrue(Long.parseLong(r.get("total.records")) >= window, "the total holds the window");
            assertTrue(Double.parseDouble(r.get("slowest_consumer_records_per_s"))
                    <= Double.parseDouble(r.get("fastest_consumer_records_per_s")));
        }
    }

    @Test
    void anEmptyTopicIsRefused() throws Exception {
        try (TestNode node = TestNode.start(dir.resolve("node"))) {
            Results r = run(node.port(), "consume-fanout", "--topic", "empty", "--create-topic", "--consumers", "2");
            assertTrue(r.failed(), "an empty topic has nothing to fan out");
        }
    }
}

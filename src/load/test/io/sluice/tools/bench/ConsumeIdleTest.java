package io.sluice.tools.bench;

import io.sluice.testing.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The load tool's {@code consume-idle} workload against a real node: more sockets than Vert.x's
 * WebSocket client opens by default (50) and than the opening window ({@link Staggered#WINDOW}),
 * spread over the topic's partitions, all subscribed, held, then closed without an error.
 */
class ConsumeIdleTest {
    @TempDir
    Path dir;

    @Test
    void opensSubscribesAndHoldsMoreSocketsThanTheWindow() throws Exception {
        int sockets = Staggered.WINDOW + 44;
        try (TestNode node = TestNode.start(dir.resolve("node"))) {
            Results r = LoadTool.parse("consume-idle", "--url", "http://127.0.0.1:" + node.port(), "--topic", "idle",
                    "--create-topic", "--partitions", "3", "--connections", Integer.toString(sockets), "--hold-s", "1").execute();
            assertFalse(r.failed(), "the run reported a failure");
            assertEquals(Integer.toString(sockets), r.get("subscribed"));
            assertEquals("3", r.get("partitions"));
            assertEquals("1", r.get("held_seconds"));
            assertEquals("0", r.get("errors"));
        }
    }
}

package io.sluice.node;

import io.sluice.testing.TestNode;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A node runs as many event loops as {@code sluice.event.loop.threads} says, else one per core (at least 2). */
class EventLoopsTest {
    @TempDir
    Path dir;

    private static int eventLoops(TestNode node) {
        int n = 0;
        for (var ignored : ((VertxInternal) node.node().vertx()).nettyEventLoopGroup()) {
            n++;
        }
        return n;
    }

    @Test
    void theSettingSetsTheEventLoops() {
        try (TestNode node = TestNode.start(dir.resolve("three"), "sluice.event.loop.threads=3")) {
            assertEquals(3, eventLoops(node));
        }
    }

    @Test
    void byDefaultOnePerCore() {
        int expected = Math.max(2, Runtime.getRuntime().availableProcessors());
        assertEquals(expected, SluiceNode.defaultEventLoops());
        try (TestNode node = TestNode.start(dir.resolve("default"))) {
            assertEquals(expected, eventLoops(node));
        }
    }
}

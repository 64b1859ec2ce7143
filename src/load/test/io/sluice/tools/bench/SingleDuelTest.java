package io.sluice.tools.bench;

import io.sluice.testing.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.ServerSocket;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code produce-single --versus}: a real node and a real {@link CeilingServer} driven in turns by
 * one tool, each getting every one of its records acknowledged, slice by slice.
 */
class SingleDuelTest {
    @TempDir
    Path dir;

    @Test
    void drivesTheNodeAndTheCeilingInTurnsAndReportsBothRatesAndTheSlicesRatio() throws Exception {
        int ceilingPort;
        try (ServerSocket s = new ServerSocket(0)) {
            ceilingPort = s.getLocalPort();
        }
        try (TestNode node = TestNode.start(dir.resolve("node"));
             CeilingServer.Running ceiling = CeilingServer.start("127.0.0.1", ceilingPort, 1)) {
            Results r = LoadTool.parse("produce-single", "--url", "http://127.0.0.1:" + node.port(),
                    "--versus", "http://127.0.0.1:" + ceilingPort, "--topic", "duel", "--records", "2000",
                    "--slices", "4", "--connections", "4", "--warmup-s", "1", "--create-topic").execute();
            assertFalse(r.failed(), "the duel reported a failure");
            assertEquals("2000", r.get("records"));
            assertEquals("2000", r.get("versus.records"));
            assertEquals("0", r.get("errors"));
            assertEquals("0", r.get("versus.errors"));
            assertTrue(Double.parseDouble(r.get("records_per_s")) > 0);
            assertTrue(Double.parseDouble(r.get("versus.records_per_s")) > 0);
            assertTrue(Double.parseDouble(r.get("ratio_median")) > 0);
            assertEquals(4, r.get("slices").split(" ").length, r.get("slices"));
            // Every record went where it was counted: the node stored its 2,000 (and the warm-up's).
            assertTrue(node.node().replicas().local(new io.sluice.bus.TopicPartition("duel", 0)).log().logEndOffset() >= 2000);
        }
    }

    @Test
    void versusIsForProduceSingleOnly() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> LoadTool.parse("produce-batch", "--versus", "http://127.0.0.1:8090"));
        assertTrue(e.getMessage().contains("--versus"), e.getMessage());
    }
}

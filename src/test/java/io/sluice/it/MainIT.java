package io.sluice.it;

import io.sluice.testing.FreePorts;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.NodeProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar as a user runs it: flags, help, bad values, SIGTERM and a restart. */
class MainIT {
    @TempDir
    Path dir;

    @Test
    void helpListsEveryFlagAndBadValuesStopWithAClearMessage() throws Exception {
        NodeProcess.Result help = NodeProcess.run(Duration.ofSeconds(30), "--help");
        assertEquals(0, help.exitCode(), help.output());
        for (String flag : List.of("--node-id", "--http-port", "--data-dir", "--cluster-host", "--cluster-port",
                "--cluster-members", "--config", "--set", "log.retention.check.interval.ms", "SLUICE_HTTP_PORT")) {
            assertTrue(help.output().contains(flag), "help mentions " + flag);
        }
        NodeProcess.Result bad = NodeProcess.run(Duration.ofSeconds(30), "--http-port", "eighty");
        assertEquals(2, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("--http-port"), bad.output());
        NodeProcess.Result badSet = NodeProcess.run(Duration.ofSeconds(30), "--set", "log.retention.check.interval.ms=-1");
        assertEquals(2, badSet.exitCode(), badSet.output());
        assertTrue(badSet.output().contains("log.retention.check.interval.ms"), badSet.output());
    }

    @Test
    void sigtermStopsCleanlyAndARestartKeepsTopicsAndData() throws Exception {
        int port = FreePorts.next();
        List<String> args = List.of("--cluster-port", "0", "--cluster-name", "it-" + UUID.randomUUID());
        Path data = dir.resolve("node");
        try (NodeProcess node = new NodeProcess(data, port, args).start().awaitHealthy(Duration.ofSeconds(60))) {
            try (HttpTestClient http = new HttpTestClient(port)) {
                http.createTopic("durable", 2, new JsonObject());
                http.produce("durable", new JsonArray().add(new JsonObject().put("value", "kept").put("partition", 1)));
            }
            int exit = node.terminate(Duration.ofSeconds(60));
            // 143 (128 + SIGTERM) is how a JVM reports a stop by signal after its shutdown hooks ran.
            assertTrue(exit == 143 || exit == 0, "exit " + exit + ": " + node.log());
        }
        assertTrue(Files.exists(data.resolve("logs/durable-1/.clean-shutdown")), "SIGTERM closes logs cleanly");
        try (NodeProcess node = new NodeProcess(data, port, args).start().awaitHealthy(Duration.ofSeconds(60));
             HttpTestClient http = new HttpTestClient(port)) {
            JsonObject page = http.get("/topics/durable/partitions/1/records?offset=0").json();
            assertEquals("kept", page.getJsonArray("records").getJsonObject(0).getString("value"));
            assertEquals(2, http.get("/topics/durable").json().getJsonArray("partitions").size());
        }
    }
}

package io.sluice.it;

import io.sluice.testing.FreePorts;
import io.sluice.testing.NodeProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Confluent's own JavaScript schema registry client ({@code @confluentinc/schemaregistry} from
 * npm, with its Avro, JSON Schema and Protobuf serdes) against a Sluice node started from the
 * packaged jar: it registers, looks up, serializes, sends the bytes through a validating topic,
 * fetches and deserializes ({@code src/test/js/schema-registry-client/roundtrip.mjs}). Needs
 * Node.js and npm ({@code .ci/run} installs them); the client's packages are installed from the
 * lock file on first use.
 */
class ConfluentSchemaRegistryClientIT {
    private static final Path PROJECT = Path.of("src/test/js/schema-registry-client");

    @TempDir
    Path dir;

    @BeforeAll
    static void installClient() throws Exception {
        if (Files.isDirectory(PROJECT.resolve("node_modules/@confluentinc/schemaregistry"))) {
            return;
        }
        Result npm = run(Duration.ofMinutes(10), List.of("npm", "ci", "--no-audit", "--no-fund"));
        assertEquals(0, npm.exitCode(), "npm ci: " + npm.output());
    }

    @Test
    void confluentsClientRegistersLooksUpSerializesAndDeserializesEveryType() throws Exception {
        int port = FreePorts.next();
        List<String> args = List.of("--cluster-port", "0", "--cluster-name", "it-" + UUID.randomUUID());
        try (NodeProcess node = new NodeProcess(dir.resolve("node"), port, args).start()
                .awaitHealthy(Duration.ofSeconds(60))) {
            Result result = run(Duration.ofMinutes(2),
                    List.of("node", "roundtrip.mjs", "http://127.0.0.1:" + port, "confluent-js"));
            assertEquals(0, result.exitCode(), result.output() + "\nnode log:\n" + node.log());
            List<JsonObject> lines = new ArrayList<>();
            for (String line : result.output().split("\n")) {
                if (line.startsWith("{")) {
                    lines.add(new JsonObject(line));
                }
            }
            assertEquals(List.of("AVRO", "JSON", "PROTOBUF"), lines.stream().map(l -> l.getString("type")).toList(),
                    result.output());
            assertEquals(new JsonObject().put("name", "ada").put("age", 36), lines.get(0).getJsonObject("value"));
            assertEquals(new JsonObject().put("id", 7).put("item", "tea"), lines.get(1).getJsonObject("value"));
            assertEquals(new JsonObject().put("name", "grace").put("age", 45), lines.get(2).getJsonObject("value"));
            // Three different schemas, three ids the registry gave out.
            assertEquals(3, lines.stream().map(l -> l.getInteger("id")).distinct().count(), result.output());
            assertTrue(lines.stream().allMatch(l -> l.getInteger("id") > 0), result.output());
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        // Output to a file, so that the timeout holds even when the process never closes its output.
        Path log = Files.createTempFile("confluent-js", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish: " + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}

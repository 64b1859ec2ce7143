package io.sluice.tools.bench;

import io.sluice.testing.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load tool against a node with security on: {@code --user} sends Basic credentials, so the cost of authentication can be measured. */
class BasicAuthTargetTest {
    @TempDir
    Path dir;

    private static Results run(String... args) {
        return LoadTool.parse(args).execute();
    }

    @Test
    void producesAndConsumesWithBasicCredentials() throws Exception {
        try (TestNode node = TestNode.start(dir.resolve("node"), "security.enabled=true", "super.users=User:bench",
                "security.bootstrap.users=bench:bench-pw")) {
            String url = "http://127.0.0.1:" + node.port();
            Results produced = run("produce-batch", "--url", url, "--user", "bench:bench-pw", "--topic", "auth",
                    "--records", "2000", "--create-topic", "--warmup-s", "0", "--batch", "200");
            assertFalse(produced.failed(), "produce with --user");
            Results consumed = run("consume-ws", "--url", url, "--user", "bench:bench-pw", "--topic", "auth",
                    "--records", "2000", "--warmup-s", "0");
            assertFalse(consumed.failed(), "consume with --user");
            assertEquals("2000", consumed.get("records"));
            assertTrue(failsOrThrows("produce-batch", "--url", url, "--user", "bench:wrong", "--topic", "auth",
                    "--records", "100", "--warmup-s", "0", "--timeout-s", "20"), "a wrong password is refused");
        }
    }

    private static boolean failsOrThrows(String... args) {
        try {
            return run(args).failed();
        } catch (RuntimeException e) {
            return true;
        }
    }
}

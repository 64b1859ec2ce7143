package io.sluice.tools.bench;

import io.sluice.security.TestCertificates;
import io.sluice.security.TestCertificates.Authority;
import io.sluice.testing.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load tool against a node serving HTTPS and WSS: {@code --ca} or {@code --insecure}, so the cost of TLS can be measured. */
class TlsTargetTest {
    @TempDir
    Path dir;

    private static Results run(String... args) {
        return LoadTool.parse(args).execute();
    }

    @Test
    void producesAndConsumesOverHttpsAndWss() throws Exception {
        Authority ca = TestCertificates.authority("Load CA");
        ca.server("node").writePem(dir.resolve("node.crt"), dir.resolve("node.key"));
        Path caFile = ca.writePem(dir.resolve("ca.pem"));
        try (TestNode node = TestNode.start(dir.resolve("node"), "security.tls.cert=" + dir.resolve("node.crt"),
                "security.tls.key=" + dir.resolve("node.key"))) {
            String url = "https://127.0.0.1:" + node.port();
            Results produced = run("produce-batch", "--url", url, "--ca", caFile.toString(), "--topic", "tls", "--records", "2000",
                    "--create-topic", "--warmup-s", "0", "--batch", "200");
            assertFalse(produced.failed(), "produce over https with --ca");
            Results insecure = run("produce-batch", "--url", url, "--insecure", "--topic", "tls", "--records", "1000",
                    "--warmup-s", "0", "--batch", "200");
            assertFalse(insecure.failed(), "produce over https with --insecure");
            Results consumed = run("consume-ws", "--url", url, "--ca", caFile.toString(), "--topic", "tls", "--records", "3000",
                    "--warmup-s", "0");
            assertFalse(consumed.failed(), "consume over wss with --ca");
            assertEquals("3000", consumed.get("records"));
            // Without either, the node's certificate is checked against the JDK's public CAs, and refused.
            assertTrue(failsOrThrows("produce-batch", "--url", url, "--topic", "tls", "--records", "100", "--warmup-s", "0",
                    "--timeout-s", "20"));
        }
    }

    private static boolean failsOrThrows(String... args) {
        try {
            return run(args).failed();
        } catch (RuntimeException e) {
            return true;
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"produce-batch --url http://127.0.0.1:1 --insecure",
            "produce-batch --url https://127.0.0.1:1 --insecure --ca x.pem", "produce-batch --url ftp://127.0.0.1:1"})
    void trustOptionsNeedAnHttpsUrl(String line) {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = LoadTool.commandLine().setErr(new java.io.PrintWriter(err));
        assertEquals(2, cli.execute(line.split(" ")), err.toString());
    }
}

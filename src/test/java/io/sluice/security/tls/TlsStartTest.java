package io.sluice.security.tls;

import io.sluice.config.ConfigLoader;
import io.sluice.node.SluiceNode;
import io.sluice.security.TestCertificates;
import io.sluice.security.TestCertificates.Authority;
import io.sluice.security.TestCertificates.Issued;
import io.sluice.security.TlsProbe;
import io.sluice.testing.Await;
import io.sluice.testing.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node's TLS at start: PKCS#12 works as PEM does; files that cannot be served stop the node with their name. */
class TlsStartTest {
    @TempDir
    Path dir;

    @Test
    void servesFromAPkcs12Keystore() throws Exception {
        Authority ca = TestCertificates.authority("P12 CA");
        Issued issued = ca.server("node").writePkcs12(dir.resolve("node.p12"), "keystore-secret");
        try (TestNode node = TestNode.start(dir.resolve("data"), "security.tls.keystore=" + dir.resolve("node.p12"),
                "security.tls.keystore.password=keystore-secret")) {
            assertEquals(issued.serial(), TlsProbe.serverCertificate(TestCertificates.sslContext(ca, null), node.port()).getSerialNumber());
        }
    }

    private Throwable startFailure(String... settings) {
        List<String> args = new ArrayList<>(List.of("--http-host", "127.0.0.1", "--http-port", "0", "--data-dir",
                dir.resolve("data").toString(), "--cluster-host", "127.0.0.1", "--cluster-port", "0",
                "--cluster-name", "tls-start-" + UUID.randomUUID()));
        for (String s : settings) {
            args.add("--set");
            args.add(s);
        }
        return assertThrows(Throwable.class, () -> Await.result(SluiceNode.start(ConfigLoader.load(args.toArray(String[]::new), Map.of()))));
    }

    @Test
    void filesThatCannotBeServedStopTheStartNamingThem() throws Exception {
        Authority ca = TestCertificates.authority("Start CA");
        ca.server("node").writePem(dir.resolve("a.crt"), dir.resolve("a.key"));
        ca.server("other").writePem(dir.resolve("b.crt"), dir.resolve("b.key"));
        Throwable mismatched = startFailure("security.tls.cert=" + dir.resolve("a.crt"), "security.tls.key=" + dir.resolve("b.key"));
        assertTrue(mismatched.getMessage().contains("does not belong to the certificate"), mismatched.getMessage());
        Throwable missing = startFailure("security.tls.cert=" + dir.resolve("none.crt"), "security.tls.key=" + dir.resolve("a.key"));
        assertTrue(missing.getMessage().contains("none.crt"), missing.getMessage());

        ca.server("node").writePkcs12(dir.resolve("node.p12"), "right-password");
        Throwable wrongPassword = startFailure("security.tls.keystore=" + dir.resolve("node.p12"),
                "security.tls.keystore.password=wrong-password");
        assertTrue(wrongPassword.getMessage().contains("node.p12"), wrongPassword.getMessage());
        assertFalse(wrongPassword.getMessage().contains("password=") || wrongPassword.getMessage().contains("wrong-password"),
                wrongPassword.getMessage());

        Files.writeString(dir.resolve("empty-ca.pem"), "");
        Throwable emptyTrust = startFailure("security.tls.cert=" + dir.resolve("a.crt"), "security.tls.key=" + dir.resolve("a.key"),
                "security.tls.truststore=" + dir.resolve("empty-ca.pem"), "security.tls.client.auth=required");
        assertTrue(emptyTrust.getMessage().contains("empty-ca.pem"), emptyTrust.getMessage());

        Throwable badRules = startFailure("security.tls.principal.mapping.rules=RULE:^CN=(.*)$");
        assertTrue(badRules.getMessage().contains("principal mapping rules"), badRules.getMessage());
    }
}

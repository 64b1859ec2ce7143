package io.sluice.security.tls;

import io.sluice.security.TestCertificates;
import io.sluice.security.TestCertificates.Authority;
import io.sluice.security.TestCertificates.Issued;
import io.sluice.security.TlsProbe;
import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Socket;
import io.sluice.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node serving HTTPS and WSS from PEM files the test generated: the API works over TLS, plain HTTP
 * and old TLS versions get no answer, and a certificate replaced on disk is served to new connections
 * without a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsNodeTest {
    @TempDir
    static Path dir;

    Authority ca;
    Path cert;
    Path key;
    Issued first;
    TestNode node;
    HttpTestClient https;

    @BeforeAll
    void start() throws Exception {
        ca = TestCertificates.authority("Test CA");
        cert = dir.resolve("node.crt");
        key = dir.resolve("node.key");
        first = ca.server("node").writePem(cert, key);
        node = TestNode.start(dir.resolve("data"), "security.tls.cert=" + cert, "security.tls.key=" + key,
                "security.tls.reload.interval.ms=100");
        https = HttpTestClient.tls(node.port(), ca.trustOptions(), null);
    }

    @AfterAll
    void stop() {
        if (https != null) {
            https.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void producesAndFetchesOverHttps() {
        https.createTopic("secure", 1, new JsonObject());
        JsonObject produced = https.produce("secure", new JsonArray().add(new JsonObject().put("key", "k").put("value", "v")));
        assertEquals(0L, produced.getJsonArray("offsets").getJsonObject(0).getLong("offset"));
        HttpTestClient.Resp fetched = https.get("/topics/secure/partitions/0/records?offset=0");
        assertEquals(200, fetched.status(), fetched.toString());
        assertEquals("v", fetched.json().getJsonArray("records").getJsonObject(0).getString("value"));
    }

    @Test
    void consumesOverWss() {
        https.createTopic("secure-ws", 1, new JsonObject());
        try (Socket s = https.connect("/ws/consume?topics=secure-ws&from=earliest")) {
            s.next("assigned");
            https.produce("secure-ws", new JsonArray().add(new JsonObject().put("value", 42)));
            JsonObject records = s.next("records");
            assertEquals(42, records.getJsonArray("records").getJsonObject(0).getInteger("value"));
        }
    }

    @Test
    void plainHttpToTheTlsPortGetsNoAnswer() {
        try (HttpTestClient plain = new HttpTestClient(node.port())) {
            assertThrows(RuntimeException.class, () -> plain.get("/health"));
        }
    }

    /** TLS 1.1 (and older) is never spoken; 1.2 and 1.3 are. */
    @Test
    void onlyTls12And13AreAccepted() throws Exception {
        SSLContext context = TestCertificates.sslContext(ca, null);
        assertThrows(IOException.class, () -> TlsProbe.serverCertificate(context, node.port(), "TLSv1.1"));
        assertThrows(IOException.class, () -> TlsProbe.serverCertificate(context, node.port(), "TLSv1"));
        TlsProbe.serverCertificate(context, node.port(), "TLSv1.2");
        TlsProbe.serverCertificate(context, node.port(), "TLSv1.3");
    }

    @Test
    void aCertificateReplacedOnDiskIsServedToNewConnections() throws Exception {
        SSLContext context = TestCertificates.sslContext(ca, null);
        BigInteger before = TlsProbe.serverCertificate(context, node.port()).getSerialNumber();
        Issued renewed = ca.server("node").writePem(cert, key);
        Await.until("new connections see serial " + renewed.serial(), Duration.ofSeconds(10), () -> {
            try {
                return TlsProbe.serverCertificate(context, node.port()).getSerialNumber().equals(renewed.serial());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(!before.equals(renewed.serial()));
        // Every server instance of the port has it, not only the one that happened to answer.
        for (int i = 0; i < 8; i++) {
            assertEquals(renewed.serial(), TlsProbe.serverCertificate(context, node.port()).getSerialNumber());
        }
        assertEquals(200, https.get("/health").status());
    }
}

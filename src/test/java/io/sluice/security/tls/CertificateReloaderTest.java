package io.sluice.security.tls;

import io.sluice.security.TestCertificates;
import io.sluice.security.TestCertificates.Authority;
import io.sluice.security.TestCertificates.Issued;
import io.sluice.security.TlsProbe;
import io.sluice.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the reloader does with each kind of new file, one look at a time ({@link CertificateReloader#check()}):
 * a valid set replaces the certificate on every server instance of the port; anything else keeps the old one.
 */
class CertificateReloaderTest {
    @TempDir
    Path dir;

    Vertx vertx;
    Authority ca;
    Path cert;
    Path key;
    Issued first;
    CertificateReloader reloader;
    int port;
    SSLContext client;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        ca = TestCertificates.authority("Reload CA");
        cert = dir.resolve("node.crt");
        key = dir.resolve("node.key");
        first = ca.server("node").writePem(cert, key);
        TlsSettings settings = TlsServers.settings(cert, key, null, ClientAuth.NONE, TlsServers.TLS_12_13);
        reloader = new CertificateReloader(vertx, settings, TlsMaterial.load(settings));
        port = TlsServers.start(vertx, 3, reloader, req -> req.response().end("ok"));
        client = TestCertificates.sslContext(ca, null);
    }

    @AfterEach
    void stop() {
        Await.result(vertx.close());
    }

    private BigInteger served() throws IOException {
        return TlsProbe.serverCertificate(client, port).getSerialNumber();
    }

    private void check() {
        Await.result(reloader.checkNow());
    }

    @Test
    void aValidNewSetReplacesTheCertificateOnEveryInstance() throws Exception {
        assertEquals(first.serial(), served());
        Issued renewed = ca.server("node").writePem(cert, key);
        check();
        for (int i = 0; i < 9; i++) {
            assertEquals(renewed.serial(), served());
        }
        assertEquals(renewed.serial(), reloader.current().certificate().getSerialNumber());
    }

    @Test
    void aCertificateWithoutItsKeyKeepsTheOldOne() throws Exception {
        Path otherKey = dir.resolve("other.key");
        ca.server("node").writePem(cert, otherKey);
        check();
        assertEquals(first.serial(), served());
        // The key arrives: now the pair is whole and served.
        Files.copy(otherKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        check();
        assertTrue(!first.serial().equals(served()));
    }

    @Test
    void anExpiredCertificateKeepsTheOldOne() throws Exception {
        ca.expiredServer("node").writePem(cert, key);
        check();
        assertEquals(first.serial(), served());
    }

    @Test
    void garbageKeepsTheOldOne() throws Exception {
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        check();
        assertEquals(first.serial(), served());
        Files.delete(key);
        check();
        assertEquals(first.serial(), served());
    }

    @Test
    void theProtocolSettingReachesTheServer() throws Exception {
        TlsSettings only13 = TlsServers.settings(cert, key, null, ClientAuth.NONE, Set.of("TLSv1.3"));
        CertificateReloader r = new CertificateReloader(vertx, only13, TlsMaterial.load(only13));
        int p = TlsServers.start(vertx, 1, r, req -> req.response().end("ok"));
        assertThrows(IOException.class, () -> TlsProbe.serverCertificate(client, p, "TLSv1.2"));
        assertEquals(first.serial(), TlsProbe.serverCertificate(client, p, "TLSv1.3").getSerialNumber());
    }
}

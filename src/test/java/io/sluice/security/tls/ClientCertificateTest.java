package io.sluice.security.tls;

import io.sluice.common.SluiceException;
import io.sluice.security.CertificatePrincipals;
import io.sluice.security.Principal;
import io.sluice.security.PrincipalMappingRules;
import io.sluice.security.TestCertificates;
import io.sluice.security.TestCertificates.Authority;
import io.sluice.security.TestCertificates.Issued;
import io.sluice.security.TlsProbe;
import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Client certificates over real HTTPS connections: a verified certificate reaches
 * {@link CertificatePrincipals} as the principal its subject maps to; one the truststore does not
 * verify gets no connection; and a node with {@code security.tls.client.auth=required} serves only
 * clients with a trusted certificate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCertificateTest {
    private static final String RULES = "RULE:^CN=(.*?),OU=eng,.*$/$1/L, RULE:^CN=(.*?),OU=ops,.*$/ops-$1/";

    @TempDir
    static Path dir;

    Vertx vertx;
    Authority ca;
    Authority stranger;
    Path cert;
    Path key;
    Path truststore;
    Issued alice;
    Issued mallory;
    Issued unmapped;
    CertificatePrincipals principals = new CertificatePrincipals(PrincipalMappingRules.parse(RULES));

    @BeforeAll
    void certificates() throws Exception {
        vertx = Vertx.vertx();
        ca = TestCertificates.authority("Client CA");
        stranger = TestCertificates.authority("Another CA");
        cert = dir.resolve("node.crt");
        key = dir.resolve("node.key");
        ca.server("node").writePem(cert, key);
        truststore = ca.writePem(dir.resolve("clients-ca.pem"));
        alice = ca.client("CN=Alice,OU=eng,O=Acme");
        mallory = stranger.client("CN=Alice,OU=eng,O=Acme");
        unmapped = ca.client("CN=eve,OU=sales,O=Acme");
    }

    @AfterAll
    void stop() {
        Await.result(vertx.close());
    }

    /** A server answering with the principal {@link CertificatePrincipals} reads from the request's connection. */
    private int server(ClientAuth clientAuth) throws Exception {
        TlsSettings settings = TlsServers.settings(cert, key, truststore, clientAuth, TlsServers.TLS_12_13);
        CertificateReloader reloader = new CertificateReloader(vertx, settings, TlsMaterial.load(settings));
        return TlsServers.start(vertx, 2, reloader, this::answerWithPrincipal);
    }

    private void answerWithPrincipal(HttpServerRequest req) {
        try {
            Optional<Principal> principal = principals.principal(req);
            req.response().end(principal.map(Principal::toString).orElse("none"));
        } catch (SluiceException e) {
            req.response().setStatusCode(e.code().httpStatus()).end(String.valueOf(e.code().code()));
        }
    }

    private static String body(HttpTestClient client) {
        HttpTestClient.Resp r = client.get("/");
        return r.status() + " " + r.text();
    }

    @Test
    void aVerifiedCertificateBecomesThePrincipalItsSubjectMapsTo() throws Exception {
        int port = server(ClientAuth.REQUIRED);
        try (HttpTestClient client = HttpTestClient.tls(port, ca.trustOptions(), alice.keyCertOptions())) {
            assertEquals("200 User:alice", body(client));
        }
        try (HttpTestClient client = HttpTestClient.tls(port, ca.trustOptions(), ca.client("CN=Bob,OU=ops,O=Acme").keyCertOptions())) {
            assertEquals("200 User:ops-Bob", body(client));
        }
    }

    @Test
    void aCertificateNoRuleMapsIsUnauthorized() throws Exception {
        int port = server(ClientAuth.REQUIRED);
        try (HttpTestClient client = HttpTestClient.tls(port, ca.trustOptions(), unmapped.keyCertOptions())) {
            assertEquals("401 40101", body(client));
        }
    }

    @Test
    void requiredRefusesNoCertificateAndAnUntrustedOne() throws Exception {
        int port = server(ClientAuth.REQUIRED);
        assertThrows(IOException.class, () -> TlsProbe.get(TestCertificates.sslContext(ca, null), port, "/"));
        assertThrows(IOException.class, () -> TlsProbe.get(TestCertificates.sslContext(ca, mallory), port, "/"));
        assertEquals("HTTP/1.1 200 OK", TlsProbe.get(TestCertificates.sslContext(ca, alice), port, "/"));
    }

    /** Requested: a client without a certificate is served without a principal; an untrusted one is still refused. */
    @Test
    void requestedServesClientsWithoutACertificate() throws Exception {
        int port = server(ClientAuth.REQUEST);
        try (HttpTestClient client = HttpTestClient.tls(port, ca.trustOptions(), null)) {
            assertEquals("200 none", body(client));
        }
        try (HttpTestClient client = HttpTestClient.tls(port, ca.trustOptions(), alice.keyCertOptions())) {
            assertEquals("200 User:alice", body(client));
        }
        assertThrows(IOException.class, () -> TlsProbe.get(TestCertificates.sslContext(ca, mallory), port, "/"));
    }

    @Test
    void plainConnectionsHaveNoCertificatePrincipal() {
        int port = io.sluice.testing.FreePorts.next();
        Await.result(vertx.createHttpServer().requestHandler(this::answerWithPrincipal).listen(port, "127.0.0.1"));
        try (HttpTestClient client = new HttpTestClient(port)) {
            assertEquals("200 none", body(client));
        }
    }

    /** The node's own port with client.auth=required: the settings reach the server. */
    @Test
    void aNodeRequiringClientCertificatesServesOnlyTrustedOnes() throws Exception {
        try (TestNode node = TestNode.start(dir.resolve("data"), "security.tls.cert=" + cert, "security.tls.key=" + key,
                "security.tls.truststore=" + truststore, "security.tls.client.auth=required")) {
            assertEquals("HTTP/1.1 200 OK", TlsProbe.get(TestCertificates.sslContext(ca, alice), node.port(), "/health"));
            assertThrows(IOException.class, () -> TlsProbe.get(TestCertificates.sslContext(ca, null), node.port(), "/health"));
            assertThrows(IOException.class, () -> TlsProbe.get(TestCertificates.sslContext(ca, mallory), node.port(), "/health"));
            assertEquals(Optional.of(Principal.user("CN=Alice,OU=eng,O=Acme")),
                    node.node().certificatePrincipals().principal(java.util.List.of(alice.certificate())));
        }
    }

    /**
     * With security on, a verified client certificate is a credential: its mapped principal is
     * authorized by the ACLs like a Basic user (here a super user, and a user without any ACL),
     * and a certificate no rule maps is a 401.
     */
    @Test
    void withSecurityOnTheCertificatesPrincipalIsAuthenticatedAndAuthorized() throws Exception {
        Issued bob = ca.client("CN=Bob,OU=ops,O=Acme");
        try (TestNode node = TestNode.start(dir.resolve("data-secure"), "security.enabled=true", "super.users=User:alice",
                "security.tls.cert=" + cert, "security.tls.key=" + key, "security.tls.truststore=" + truststore,
                "security.tls.client.auth=requested", "security.tls.principal.mapping.rules=" + RULES)) {
            assertEquals("HTTP/1.1 200 OK", TlsProbe.get(TestCertificates.sslContext(ca, alice), node.port(), "/cluster"),
                    "User:alice (CN=Alice,OU=eng) is a super user");
            assertEquals("HTTP/1.1 403 Forbidden", TlsProbe.get(TestCertificates.sslContext(ca, bob), node.port(), "/cluster"),
                    "User:ops-Bob is authenticated, and has no ACL");
            assertEquals("HTTP/1.1 401 Unauthorized", TlsProbe.get(TestCertificates.sslContext(ca, unmapped), node.port(), "/cluster"),
                    "a certificate no rule maps");
            assertEquals("HTTP/1.1 401 Unauthorized", TlsProbe.get(TestCertificates.sslContext(ca, null), node.port(), "/cluster"),
                    "no certificate and no other credential");
        }
    }
}

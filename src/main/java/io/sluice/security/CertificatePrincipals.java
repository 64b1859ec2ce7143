package io.sluice.security;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.config.BrokerSettings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The principal a verified TLS client certificate stands for, as Kafka's default principal builder
 * makes it: {@code User:} and the certificate subject's distinguished name (RFC 2253) mapped by
 * {@code security.tls.principal.mapping.rules} ({@link PrincipalMappingRules}). The TLS handshake has
 * already verified the certificate against {@code security.tls.truststore} (a certificate it could not
 * verify never gets this far), so what is read here is trusted. One of the authenticators of a request.
 */
public final class CertificatePrincipals {
    private final PrincipalMappingRules rules;

    public CertificatePrincipals(PrincipalMappingRules rules) {
        this.rules = rules;
    }

    /**
     * From the node's settings.
     *
     * @throws IllegalArgumentException when {@code security.tls.principal.mapping.rules} cannot be read
     */
    public static CertificatePrincipals of(BrokerSettings broker) {
        return new CertificatePrincipals(PrincipalMappingRules.parse(broker.getString("security.tls.principal.mapping.rules")));
    }

    /**
     * The principal of the request's connection: empty when the connection is not TLS or its client
     * presented no certificate.
     *
     * @throws SluiceException {@link ErrorCode#UNAUTHORIZED} when a certificate was presented but no rule maps
     *                         its subject (as Kafka, which refuses such a client rather than treating it as anonymous)
     */
    public Optional<Principal> principal(HttpServerRequest request) {
        return principal(request.connection());
    }

    /** The same for a connection (a WebSocket's upgrade request has one). */
    public Optional<Principal> principal(HttpConnection connection) {
        if (connection == null || !connection.isSsl()) {
            return Optional.empty();
        }
        try {
            return principal(connection.peerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            // Client authentication not asked for, or the client sent no certificate.
            return Optional.empty();
        }
    }

    /** The principal of a verified peer chain (its first certificate is the peer's own). */
    public Optional<Principal> principal(List<Certificate> peerChain) {
        if (peerChain == null || peerChain.isEmpty() || !(peerChain.get(0) instanceof X509Certificate cert)) {
            return Optional.empty();
        }
        String subject = cert.getSubjectX500Principal().getName();
        // The subject is not told back: a client learns only that its certificate maps to no principal.
        return Optional.of(rules.map(subject).filter(name -> !name.isEmpty()).map(Principal::user)
                .orElseThrow(() -> new SluiceException(ErrorCode.UNAUTHORIZED,
                        "the client certificate's subject maps to no principal (security.tls.principal.mapping.rules)")));
    }
}

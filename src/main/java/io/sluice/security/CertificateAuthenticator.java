package io.sluice.security;

import io.sluice.common.SluiceException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * Authenticates a request by the TLS client certificate its connection presented (verified against
 * {@code security.tls.truststore} during the handshake): the principal is the certificate's subject
 * mapped by {@code security.tls.principal.mapping.rules}. "Not mine" on a plain connection or one
 * without a certificate; a 401 for a certificate no rule maps. Asked after the authenticators of
 * the {@code Authorization} header, so an explicit credential on a mutually authenticated
 * connection names the principal, as SASL does over Kafka's SASL_SSL.
 */
final class CertificateAuthenticator implements Authenticator {
    private final CertificatePrincipals principals;

    CertificateAuthenticator(CertificatePrincipals principals) {
        this.principals = principals;
    }

    @Override
    public Future<Principal> authenticate(HttpServerRequest request) {
        try {
            return Future.succeededFuture(principals.principal(request).orElse(null));
        } catch (SluiceException unmapped) {
            return Future.failedFuture(unmapped);
        }
    }
}

package io.sluice.security.tls;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.eventbus.EventBusOptions;

/**
 * Mutual TLS on the clustered event bus: every bus connection between two nodes is TLS, the node
 * presents its bus certificate both as a server and as a client, and accepts a peer (in either role)
 * only when the peer's certificate verifies against the bus truststore. Vert.x's defaults would trust
 * every server and ask no client certificate; both are set here. Host names are not checked (nodes dial
 * each other by address): membership of the cluster's bus is exactly holding a certificate the bus CA
 * signed, so that CA must sign nothing else. The bus's certificates are read once at start.
 */
public final class BusTls {
    private BusTls() {
    }

    /** {@code options} with mutual TLS from {@code material}. */
    public static EventBusOptions apply(EventBusOptions options, TlsSettings settings, TlsMaterial material) {
        if (material.trust() == null) {
            throw new IllegalArgumentException(settings.group() + " needs a truststore");
        }
        options.setSsl(true)
                .setKeyCertOptions(material.keyCert().copy())
                .setTrustOptions(material.trust().copy())
                .setTrustAll(false)
                .setClientAuth(ClientAuth.REQUIRED)
                .setEnabledSecureTransportProtocols(settings.protocols());
        return options;
    }
}

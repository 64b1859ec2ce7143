package io.sluice.security.tls;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ServerSSLOptions;

/**
 * Turns the HTTP port's {@link TlsMaterial} into Vert.x server options: HTTPS and WSS with the node's
 * certificate, client certificates verified against the truststore when asked for, and only the TLS
 * versions {@code security.tls.protocols} allows (1.2 and 1.3; never the older ones).
 */
public final class HttpTls {
    private HttpTls() {
    }

    /** {@code options} serving TLS with {@code material}. */
    public static HttpServerOptions apply(HttpServerOptions options, TlsSettings settings, TlsMaterial material) {
        ServerSSLOptions ssl = sslOptions(settings, material);
        return options.setSsl(true)
                .setKeyCertOptions(ssl.getKeyCertOptions())
                .setTrustOptions(ssl.getTrustOptions())
                .setClientAuth(ssl.getClientAuth())
                .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols());
    }

    /** What a running server is given when its certificate changes ({@link CertificateReloader}). */
    public static ServerSSLOptions sslOptions(TlsSettings settings, TlsMaterial material) {
        return new ServerSSLOptions()
                .setKeyCertOptions(material.keyCert().copy())
                .setTrustOptions(material.trust() == null ? null : material.trust().copy())
                .setClientAuth(settings.clientAuth())
                .setEnabledSecureTransportProtocols(settings.protocols());
    }
}

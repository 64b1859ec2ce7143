package io.sluice.security.tls;

import io.sluice.testing.Await;
import io.sluice.testing.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Vert.x HTTPS servers configured the way the node configures its port ({@link HttpTls}), several
 * instances sharing one port as the node's do, each watched by the reloader, with a handler of the
 * test's choosing.
 */
final class TlsServers {
    static final Set<String> TLS_12_13 = Set.of("TLSv1.2", "TLSv1.3");

    private TlsServers() {
    }

    static TlsSettings settings(Path cert, Path key, Path truststore, ClientAuth clientAuth, Set<String> protocols) {
        return new TlsSettings("security.tls", cert, key, null, null, truststore, null, clientAuth, protocols, 0);
    }

    /** Starts {@code instances} servers on one free port, each in a verticle of its own; returns the port. */
    static int start(Vertx vertx, int instances, CertificateReloader reloader, Handler<HttpServerRequest> handler) {
        int port = FreePorts.next();
        for (int i = 0; i < instances; i++) {
            Await.result(vertx.deployVerticle(new VerticleBase() {
                @Override
                public Future<?> start() {
                    HttpServerOptions options = HttpTls.apply(new HttpServerOptions().setHost("127.0.0.1").setPort(port),
                            reloader.settings(), reloader.current());
                    return vertx.createHttpServer(options).requestHandler(handler).listen().onSuccess(reloader::watch);
                }
            }), Duration.ofSeconds(10));
        }
        return port;
    }
}

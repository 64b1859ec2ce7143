package io.sluice.api.http;

import io.sluice.api.Api;
import io.sluice.security.tls.CertificateReloader;
import io.sluice.security.tls.HttpTls;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.sluice.quota.ConnectionQuotas;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.http.HttpServerOptions;

/**
 * One HTTP server instance of the node (the node runs one per event loop, sharing the port):
 * the REST API and the WebSocket upgrades, over TLS (HTTPS, WSS) when the node has a certificate,
 * whose replacements the {@link CertificateReloader} hands to every instance.
 */
public final class HttpServerVerticle extends VerticleBase {
    private final Api api;
    private final String host;
    private final int port;
    /** The port's TLS, or null for plain HTTP. */
    private final CertificateReloader tls;
    private HttpServer server;

    public HttpServerVerticle(Api api, String host, int port) {
        this(api, host, port, null);
    }

    public HttpServerVerticle(Api api, String host, int port, CertificateReloader tls) {
        this.api = api;
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    @Override
    public Future<?> start() {
        int maxFrame = api.broker().getInt("sluice.ws.max.frame.bytes");
        boolean compression = api.broker().getBoolean("sluice.ws.compression");
        // Sessions enforce maxFrame themselves (closing with 1009 and a reason); the protocol
        // limit sits above it so that a slightly oversized frame is read whole, not cut off.
        int protocolLimit = (int) Math.min(Integer.MAX_VALUE / 2, 2L * maxFrame + 65536);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host).setPort(port)
                .setMaxWebSocketFrameSize(protocolLimit)
                .setMaxWebSocketMessageSize(protocolLimit)
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                // Off unless asked for: deflating every frame of a consumer's stream costs more CPU
                // than serving it, and browsers offer it by default. Off, Vert.x also leaves the
                // extension handler out of every connection's pipeline (it looked at each request).
                .setPerMessageWebSocketCompressionSupported(compression)
                .setPerFrameWebSocketCompressionSupported(compression);
        if (tls != null) {
            HttpTls.apply(options, tls.settings(), tls.current());
        }
        server = vertx.createHttpServer(options).requestHandler(ApiRouter.create(vertx, api))
                .invalidRequestHandler(ErrorResponder::invalidRequest);
        ConnectionQuotas connections = api.quotas().connections();
        // (One connection handler per server: the HTTP version guard, then the per-IP limit.)
        server.connectionHandler(conn -> {
            HttpVersionGuard.install(conn);
            if (connections.limitsIps()) {
                limitPerIp(conn, connections);
            }
        });
        return server.listen().onSuccess(s -> {
            if (tls != null) {
                tls.watch(s);
            }
        });
    }

    @Override
    public Future<?> stop() throws Exception {
        if (tls != null && server != null) {
            tls.forget(server);
        }
        return super.stop();
    }

    /**
     * {@code max.connections.per.ip}, as Kafka: a connection past the limit is closed as it is
     * accepted (no HTTP answer is possible before a request; the client sees the connection close).
     */
    private static void limitPerIp(HttpConnection conn, ConnectionQuotas connections) {
        SocketAddress remote = conn.remoteAddress();
        String ip = remote == null || remote.hostAddress() == null ? "" : remote.hostAddress();
        if (!connections.openIp(ip)) {
            conn.close();
            return;
        }
        conn.closeHandler(v -> connections.closeIp(ip));
    }

    /** The port actually bound (useful when started with port 0). */
    public int actualPort() {
        return server.actualPort();
    }
}

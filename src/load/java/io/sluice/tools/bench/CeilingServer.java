package io.sluice.tools.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;

import java.util.concurrent.TimeUnit;

/**
 * The HTTP ceiling for {@code produce-single}: a Vert.x server that does no work. It reads each
 * request's whole body, then answers 200 with a JSON body of the same shape and size as
 * Sluice's produce answer. Like a Sluice node it runs one server instance per event loop on a
 * shared port. Run by {@code java -jar sluice-load.jar ceiling-server} ({@link CeilingServerCommand}).
 */
final class CeilingServer extends VerticleBase {
    /** Sluice answers a single record with its partition and offset; offsets here have 6 digits. */
    private static final Buffer ANSWER = Buffer.buffer("{\"offsets\":[{\"partition\":0,\"offset\":123456}]}");

    private final String host;
    private final int port;

    private CeilingServer(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
                .setCompressionSupported(false)
                // (The node's options: no WebSocket compression, so no extension handler in the pipeline.)
                .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
        return vertx.createHttpServer(options)
                .requestHandler(req -> req.body().onComplete(ar -> req.response()
                        .setStatusCode(ar.succeeded() ? 200 : 400)
                        .putHeader("content-type", "application/json")
                        .end(ANSWER)))
                .listen();
    }

    /** A started ceiling server; closing it closes its Vert.x instance. */
    public record Running(Vertx vertx) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Starts a ceiling server on {@code host:port} with {@code loops} event loops and as many instances. */
    public static Running start(String host, int port, int loops) throws Exception {
        // The transport the node uses (epoll where available), so that the ceiling is not handicapped.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        vertx.deployVerticle(() -> new CeilingServer(host, port), new DeploymentOptions().setInstances(loops))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new Running(vertx);
    }
}

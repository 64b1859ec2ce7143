package io.sluice.tools.bench;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The load tool's runtime: one Vert.x instance with two event loops, the HTTP client (a
 * keep-alive pool) and the WebSocket client, held here for the whole run so that they are never
 * collected mid-handshake. Work is pinned to one of two event-loop contexts so that a
 * connection's callbacks never hop between threads.
 */
final class Bench implements AutoCloseable {
    static final int EVENT_LOOPS = 2;
    static final int MAX_WS_BYTES = 16 << 20;

    /**
     * How big the clients are: HTTP keep-alive connections, requests pipelined on each, and
     * WebSockets open at once (Vert.x's client queues sockets beyond its limit, 50 by default).
     */
    record Clients(int httpConnections, int pipelining, int webSockets) {
    }

    /** The workload's name, for progress lines. */
    final String workload;
    final Target target;
    final Vertx vertx;
    final HttpClientAgent http;
    final WebSocketClient ws;
    private final HttpClientOptions httpOptions;
    private final PoolOptions pool;
    private final ContextInternal[] loops = new ContextInternal[EVENT_LOOPS];
    private final long deadlineNanos;

    Bench(String workload, Target target, Clients clients) {
        this.workload = workload;
        this.target = target;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS).setPreferNativeTransport(true));
        this.httpOptions = target.tls(new HttpClientOptions()
                .setDefaultHost(target.host()).setDefaultPort(target.port())
                .setKeepAlive(true).setTcpNoDelay(true)
                .setPipelining(clients.pipelining() > 1).setPipeliningLimit(clients.pipelining()));
        this.pool = new PoolOptions().setHttp1MaxSize(clients.httpConnections());
        this.http = vertx.createHttpClient(httpOptions, pool);
        this.ws = vertx.createWebSocketClient(target.tls(new WebSocketClientOptions()
                .setDefaultHost(target.host()).setDefaultPort(target.port()).setTcpNoDelay(true)
                .setMaxFrameSize(MAX_WS_BYTES).setMaxMessageSize(MAX_WS_BYTES)
                .setMaxConnections(Math.max(clients.webSockets(), WebSocketClientOptions.DEFAULT_MAX_CONNECTIONS))));
        // A fresh event-loop context takes the next event loop in turn, so these are the two loops.
        for (int i = 0; i < EVENT_LOOPS; i++) {
            loops[i] = ((VertxInternal) vertx).createEventLoopContext();
        }
        this.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(target.timeoutSeconds);
    }

    /** An HTTP client like {@link #http} to another server (produce-single's {@code --versus}). */
    HttpClientAgent httpClient(URI server) {
        return vertx.createHttpClient(new HttpClientOptions(httpOptions)
                .setDefaultHost(server.getHost()).setDefaultPort(server.getPort()), pool);
    }

    /** One of the two event-loop contexts; {@code i} is taken modulo their number. */
    ContextInternal loop(int i) {
        return loops[Math.floorMod(i, EVENT_LOOPS)];
    }

    /**
     * Opens a WebSocket to {@code uri} (path and query) whose callbacks run on loop {@code i}.
     * {@code setup} installs the handlers on the event loop as the socket opens: set later, from
     * another thread, they could miss the server's first frames.
     */
    Future<WebSocket> connect(int i, String uri, Handler<WebSocket> setup) {
        Promise<WebSocket> p = loop(i).promise();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setURI(uri);
        if (target.authorization() != null) {
            options.addHeader("authorization", target.authorization());
        }
        if (target.clientId != null) {
            options.addHeader("x-client-id", target.clientId);
        }
        loop(i).runOnContext(v -> ws.connect(options).onComplete(ar -> {
            if (ar.succeeded()) {
                setup.handle(ar.result());
            }
            p.handle(ar);
        }));
        return p.future();
    }

    /** Waits for {@code f} until the run's deadline ({@code --timeout-s}). */
    <T> T await(Future<T> f) throws Exception {
        long left = Math.max(1, deadlineNanos - System.nanoTime());
        try {
            return f.toCompletionStage().toCompletableFuture().get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("deadline of --timeout-s " + target.timeoutSeconds + " s passed");
        }
    }

    /** Creates {@code --topic} as {@code spec} says; an existing topic (409) is fine. */
    void createTopic(NewTopic spec) throws Exception {
        JsonObject body = new JsonObject().put("name", target.topic).put("partitions", spec.partitions)
                .put("replication_factor", spec.replicationFactor);
        JsonObject configs = new JsonObject();
        if (spec.minInsync != null) {
            configs.put("min.insync.replicas", spec.minInsync);
        }
        spec.configs.forEach(configs::put);
        if (!configs.isEmpty()) {
            body.put("configs", configs);
        }
        RequestOptions req = target.authorized(new RequestOptions().setMethod(HttpMethod.POST).setURI("/topics")
                .putHeader("content-type", "application/json"));
        int status = await(http.request(req)
                .compose(r -> r.send(body.toBuffer()))
                .compose(resp -> resp.body().map(b -> {
                    if (resp.statusCode() != 201 && resp.statusCode() != 409) {
                        throw new IllegalStateException("creating topic " + target.topic + ": " + resp.statusCode() + " " + b);
                    }
                    return resp.statusCode();
                })));
        System.err.println("topic " + target.topic + (status == 201
                ? " created with " + spec.partitions + " partition(s) x " + spec.replicationFactor + " replica(s)"
                : " already exists"));
    }

    /** {@code GET /topics/{topic}}: its partitions, each with its offsets. */
    JsonObject describeTopic() throws Exception {
        return await(http.request(target.authorized(new RequestOptions().setMethod(HttpMethod.GET)
                        .setURI("/topics/" + target.topic)))
                .compose(HttpClientRequest::send)
                .compose(resp -> resp.body().map(b -> {
                    if (resp.statusCode() != 200) {
                        throw new IllegalStateException("GET /topics/" + target.topic + ": " + resp.statusCode() + " " + b);
                    }
                    return b.toJsonObject();
                })));
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("closing Vert.x: " + e);
        }
    }
}

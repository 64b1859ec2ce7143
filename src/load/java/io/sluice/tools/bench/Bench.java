package io.sluice.tools.bench;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
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

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The load tool's runtime: one Vert.x instance with two event loops, the HTTP client (a
 * keep-alive pool of {@code --connections} connections) and the WebSocket client, held here for
 * the whole run so that they are never collected mid-handshake. Work is pinned to one of two
 * event-loop contexts so that a connection's callbacks never hop between threads.
 */
final class Bench implements AutoCloseable {
    static final int EVENT_LOOPS = 2;
    static final int MAX_WS_BYTES = 16 << 20;

    final Options opt;
    final Vertx vertx;
    final HttpClientAgent http;
    /** The same client for {@code --versus}, or null. */
    final HttpClientAgent versusHttp;
    final WebSocketClient ws;
    private final ContextInternal[] loops = new ContextInternal[EVENT_LOOPS];
    private final long deadlineNanos;

    Bench(Options opt) {
        this.opt = opt;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS).setPreferNativeTransport(true));
        HttpClientOptions httpOptions = new HttpClientOptions()
                .setDefaultHost(opt.host()).setDefaultPort(opt.port())
                .setKeepAlive(true).setTcpNoDelay(true)
                .setPipelining(opt.inflight > 1).setPipeliningLimit(opt.inflight);
        this.http = vertx.createHttpClient(httpOptions, new PoolOptions().setHttp1MaxSize(opt.connections));
        this.versusHttp = opt.versus == null ? null : vertx.createHttpClient(new HttpClientOptions(httpOptions)
                .setDefaultHost(opt.versus.getHost()).setDefaultPort(opt.versus.getPort()),
                new PoolOptions().setHttp1MaxSize(opt.connections));
        this.ws = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setDefaultHost(opt.host()).setDefaultPort(opt.port()).setTcpNoDelay(true)
                .setMaxFrameSize(MAX_WS_BYTES).setMaxMessageSize(MAX_WS_BYTES));
        // A fresh event-loop context takes the next event loop in turn, so these are the two loops.
        for (int i = 0; i < EVENT_LOOPS; i++) {
            loops[i] = ((VertxInternal) vertx).createEventLoopContext();
        }
        this.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(opt.timeoutSeconds);
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
        loop(i).runOnContext(v -> ws.connect(new WebSocketConnectOptions().setURI(uri)).onComplete(ar -> {
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
            throw new TimeoutException("deadline of --timeout-s " + opt.timeoutSeconds + " s passed");
        }
    }

    /** Creates {@code --topic} with {@code --partitions} and its configs; an existing topic (409) is fine. */
    void createTopic() throws Exception {
        JsonObject body = new JsonObject().put("name", opt.topic).put("partitions", opt.partitions)
                .put("replication_factor", opt.replicationFactor);
        JsonObject configs = new JsonObject();
        if (opt.minInsync > 0) {
            configs.put("min.insync.replicas", opt.minInsync);
        }
        opt.topicConfigs.forEach(configs::put);
        if (!configs.isEmpty()) {
            body.put("configs", configs);
        }
        RequestOptions req = new RequestOptions().setMethod(HttpMethod.POST).setURI("/topics")
                .putHeader("content-type", "application/json");
        int status = await(http.request(req)
                .compose(r -> r.send(body.toBuffer()))
                .compose(resp -> resp.body().map(b -> {
                    if (resp.statusCode() != 201 && resp.statusCode() != 409) {
                        throw new IllegalStateException("creating topic " + opt.topic + ": " + resp.statusCode() + " " + b);
                    }
                    return resp.statusCode();
                })));
        System.err.println("topic " + opt.topic + (status == 201 ? " created with " + opt.partitions + " partition(s) x " + opt.replicationFactor + " replica(s)"
                : " already exists"));
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

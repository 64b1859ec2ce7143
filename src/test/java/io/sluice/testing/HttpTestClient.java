package io.sluice.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Blocking HTTP and WebSocket access to a test node, on a Vert.x instance of its own. The clients
 * are held in fields: an unreferenced client is collected and closes its connections.
 */
public final class HttpTestClient implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final WebClient web;
    private final WebSocketClient sockets;
    private final int port;
    private final boolean ssl;
    /** Sent with every request and upgrade (an {@code Authorization} header). */
    private final Map<String, String> defaultHeaders;

    public HttpTestClient(int port) {
        this(port, Map.of());
    }

    /** A client that sends HTTP Basic credentials with every request and WebSocket upgrade. */
    public static HttpTestClient withBasic(int port, String user, String password) {
        return new HttpTestClient(port, Map.of("authorization", basic(user, password)));
    }

    /** The {@code Authorization} header value for HTTP Basic. */
    public static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public HttpTestClient(int port, Map<String, String> defaultHeaders) {
        this(port, defaultHeaders, null, null);
    }

    /**
     * A client of a TLS port (HTTPS, WSS) that trusts {@code trust} and presents {@code keyCert} when
     * asked for a client certificate (null: none).
     */
    public static HttpTestClient tls(int port, io.vertx.core.net.TrustOptions trust, io.vertx.core.net.KeyCertOptions keyCert) {
        return new HttpTestClient(port, Map.of(), trust, keyCert);
    }

    private HttpTestClient(int port, Map<String, String> defaultHeaders, io.vertx.core.net.TrustOptions trust,
                           io.vertx.core.net.KeyCertOptions keyCert) {
        this.defaultHeaders = Map.copyOf(defaultHeaders);
        this.port = port;
        this.ssl = trust != null;
        WebClientOptions webOptions = new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true);
        WebSocketClientOptions wsOptions = new WebSocketClientOptions().setMaxFrameSize(16 << 20).setMaxMessageSize(16 << 20);
        if (ssl) {
            webOptions.setSsl(true).setTrustOptions(trust).setKeyCertOptions(keyCert);
            wsOptions.setSsl(true).setTrustOptions(trust).setKeyCertOptions(keyCert);
        }
        this.web = WebClient.create(vertx, webOptions);
        this.sockets = vertx.createWebSocketClient(wsOptions);
    }

    public Vertx vertx() {
        return vertx;
    }

    /** A response, read whole. */
    public record Resp(int status, Buffer body, Map<String, String> headers) {
        public JsonObject json() {
            return body.toJsonObject();
        }

        public JsonArray jsonArray() {
            return body.toJsonArray();
        }

        public String text() {
            return body == null ? "" : body.toString();
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    public Resp get(String path) {
        return send(HttpMethod.GET, path, null, null);
    }

    public Resp delete(String path) {
        return send(HttpMethod.DELETE, path, null, null);
    }

    public Resp post(String path, JsonObject body) {
        return send(HttpMethod.POST, path, "application/json", body.toBuffer());
    }

    public Resp patch(String path, JsonObject body) {
        return send(HttpMethod.PATCH, path, "application/json", body.toBuffer());
    }

    public Resp send(HttpMethod method, String path, String contentType, Buffer body) {
        return send(method, path, contentType, body, Map.of());
    }

    public Resp send(HttpMethod method, String path, String contentType, Buffer body, Map<String, String> headers) {
        HttpRequest<Buffer> req = web.request(method, path);
        if (contentType != null) {
            req.putHeader("content-type", contentType);
        }
        defaultHeaders.forEach(req::putHeader);
        headers.forEach(req::putHeader);
        HttpResponse<Buffer> resp = Await.result(body == null ? req.send() : req.sendBuffer(body), Duration.ofSeconds(60));
        Map<String, String> h = new java.util.HashMap<>();
        resp.headers().forEach(e -> h.put(e.getKey().toLowerCase(), e.getValue()));
        return new Resp(resp.statusCode(), resp.body() == null ? Buffer.buffer() : resp.body(), h);
    }

    /** Creates a topic and fails the test unless it worked. */
    public JsonObject createTopic(String name, int partitions, JsonObject configs) {
        Resp r = post("/topics", new JsonObject().put("name", name).put("partitions", partitions).put("configs", configs));
        if (r.status() != 201) {
            throw new AssertionError("create topic " + name + ": " + r);
        }
        return r.json();
    }

    public JsonObject produce(String topic, JsonArray records) {
        Resp r = post("/topics/" + topic + "/records", new JsonObject().put("records", records));
        if (r.status() != 200) {
            throw new AssertionError("produce to " + topic + ": " + r);
        }
        return r.json();
    }

    /** A WebSocket whose text frames are queued as JSON objects. */
    public Socket connect(String uri) {
        // Handlers go on in the connect callback, on the socket's event loop: frames the server
        // sends right after the upgrade would otherwise arrive before anyone listens.
        return Await.result(sockets.connect(connectOptions(uri)).map(Socket::new));
    }

    /** Attempts an upgrade that is expected to be refused; returns the failure. */
    public Throwable connectFailure(String uri) {
        try {
            Await.result(sockets.connect(connectOptions(uri)));
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("upgrade to " + uri + " was accepted");
    }

    private WebSocketConnectOptions connectOptions(String uri) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setSsl(ssl)
                .setURI(uri);
        defaultHeaders.forEach(options::addHeader);
        return options;
    }

    /** A connected test WebSocket. */
    public static final class Socket implements AutoCloseable {
        private final WebSocket ws;
        private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        private volatile Short closeStatus;
        private volatile String closeReason;

        Socket(WebSocket ws) {
            this.ws = ws;
            ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
            ws.closeHandler(v -> {
                closeStatus = ws.closeStatusCode();
                closeReason = ws.closeReason();
            });
        }

        public WebSocket raw() {
            return ws;
        }

        public void send(JsonObject frame) {
            Await.result(ws.writeTextMessage(frame.encode()));
        }

        public void sendText(String text) {
            Await.result(ws.writeTextMessage(text));
        }

        /** The next frame, waiting up to 10 s. */
        public JsonObject next() {
            return next(Duration.ofSeconds(10));
        }

        public JsonObject next(Duration timeout) {
            try {
                JsonObject f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (f == null) {
                    throw new AssertionError("no frame within " + timeout);
                }
                return f;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** The next frame of {@code type}, skipping others. */
        public JsonObject next(String type) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                JsonObject f = next(Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis())));
                if (type.equals(f.getString("type"))) {
                    return f;
                }
            }
            throw new AssertionError("no " + type + " frame");
        }

        /** Whether a frame arrives within {@code window} (used to show that none does). */
        public JsonObject poll(Duration window) {
            try {
                return frames.poll(window.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        public Short closeStatus() {
            return closeStatus;
        }

        public String closeReason() {
            return closeReason;
        }

        public boolean isClosed() {
            return ws.isClosed();
        }

        @Override
        public void close() {
            if (!ws.isClosed()) {
                Await.result(ws.close());
            }
        }
    }

    @Override
    public void close() {
        Await.result(vertx.close());
    }
}

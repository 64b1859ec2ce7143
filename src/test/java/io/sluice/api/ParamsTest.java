package io.sluice.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Params#query} reads a query parameter as Vert.x's {@code getParam} does, without its
 * map: the same value for every query shape, over a real server and real requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParamsTest {
    private static final List<String> NAMES = List.of("acks", "ACKS", "timeout_ms", "missing");

    Vertx vertx;
    HttpServer server;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> {
            JsonObject out = new JsonObject();
            for (String name : NAMES) {
                out.put(name, new JsonObject().put("ours", Params.query(req, name)).put("vertx", req.getParam(name)));
            }
            req.response().end(out.encode());
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void everyQueryShapeReadsAsVertxReadsIt() throws Exception {
        List<String> queries = List.of("", "acks=1&timeout_ms=500", "ACKS=all", "acks", "acks=&timeout_ms=5",
                "x=1&acks=0&acks=1", "acks=%31", "acks=a+b", "acks=1;timeout_ms=7", "=1&acks=1", "&&acks=1&",
                "timeout_ms=1=2", "acksx=1&xacks=2", "Timeout_MS=9&acks=-1");
        for (String q : queries) {
            String uri = "http://127.0.0.1:" + server.actualPort() + "/p" + (q.isEmpty() ? "" : "?" + q);
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(uri)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonObject got = new JsonObject(r.body());
            for (String name : NAMES) {
                JsonObject both = got.getJsonObject(name);
                assertEquals(both.getString("vertx"), both.getString("ours"), "'" + name + "' of ?" + q);
            }
        }
    }
}

package io.sluice.api;

import io.sluice.testing.HttpTestClient;
import io.sluice.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSocket compression is declined unless {@code sluice.ws.compression} is on: a client that
 * offers permessage-deflate (as browsers do) gets a plain socket by default, and a compressed one
 * that works when the node allows it.
 */
class WebSocketCompressionTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private WebSocketClient client;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setTryUsePerMessageCompression(true));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Connects a consumer that offers permessage-deflate; returns its extensions header and first frame. */
    private String[] consume(TestNode node) throws Exception {
        try (HttpTestClient http = new HttpTestClient(node.port())) {
            http.createTopic("z", 1, new JsonObject());
        }
        CompletableFuture<String> firstFrame = new CompletableFuture<>();
        WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
                        .setURI("/ws/consume?topics=z&from=earliest"))
                .onSuccess(s -> s.textMessageHandler(firstFrame::complete))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String frame = firstFrame.get(10, TimeUnit.SECONDS);
        String extensions = ws.headers().get("sec-websocket-extensions");
        ws.close();
        return new String[] {extensions, frame};
    }

    @Test
    void aClientsOfferOfCompressionIsDeclinedByDefault() throws Exception {
        try (TestNode node = TestNode.start(dir.resolve("plain"))) {
            String[] r = consume(node);
            assertNull(r[0], "no extension accepted");
            assertEquals("assigned", new JsonObject(r[1]).getString("type"));
        }
    }

    @Test
    void withTheSettingOnTheSocketIsCompressedAndWorks() throws Exception {
        try (TestNode node = TestNode.start(dir.resolve("deflate"), "sluice.ws.compression=true")) {
            String[] r = consume(node);
            assertTrue(r[0] != null && r[0].contains("permessage-deflate"), "extensions: " + r[0]);
            assertEquals("assigned", new JsonObject(r[1]).getString("type"));
        }
    }
}

package io.sluice.api.ws;

import io.sluice.api.json.RecordFormat;
import io.sluice.bus.Acks;
import io.sluice.bus.TopicPartition;
import io.sluice.testing.Await;
import io.sluice.testing.ProvokesConfinementViolations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebSocket session is confined to the event loop it was created on (the socket's), and that is
 * checked: its entry points, called from another thread, fail before they touch anything, naming
 * the session, its loop and the intruder. (The socket here is a stand-in that refuses every call:
 * nothing but the check may run.)
 */
class SessionConfinementTest {
    private final Vertx vertx = Vertx.vertx();
    private final ServerWebSocket socket = (ServerWebSocket) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ServerWebSocket.class}, (proxy, method, args) -> {
                if (method.getName().equals("remoteAddress")) {
                    return null;
                }
                throw new UnsupportedOperationException("the session touched its socket: " + method.getName());
            });

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    @ProvokesConfinementViolations
    void aConsumeSessionFailsWhenCalledFromAnotherThread() {
        io.vertx.core.Context context = vertx.getOrCreateContext();
        ConsumeSession session = Await.result(on(context, () -> new ConsumeSession(null, socket, RecordFormat.JSON, 10, 64 * 1024,
                io.sluice.common.Clock.SYSTEM)));
        String loop = Await.result(on(context, () -> Thread.currentThread().getName()));

        AssertionError e = assertThrows(AssertionError.class, session::positions);
        assertEquals("confinement violated: ConsumeSession of null is confined to its event loop, thread '" + loop
                + "', but was entered on thread '" + Thread.currentThread().getName() + "'", e.getMessage());
        assertThrows(AssertionError.class, () -> session.revoke(1, List.of(new TopicPartition("t", 0))));
        assertThrows(AssertionError.class, () -> session.terminate((short) 1000, "bye"));
        assertThrows(AssertionError.class, session::lastClientActivity);
        // On its loop, the same call passes.
        assertEquals(0, Await.result(on(context, session::positions)).size());
    }

    @Test
    @ProvokesConfinementViolations
    void aProduceSessionFailsWhenStartedFromAnotherThread() {
        ProduceSession session = Await.result(on(vertx.getOrCreateContext(),
                () -> new ProduceSession(null, socket, null, RecordFormat.JSON, Acks.LEADER, 1_000)));
        AssertionError e = assertThrows(AssertionError.class, session::start);
        assertTrue(e.getMessage().startsWith("confinement violated: ProduceSession of null is confined to its event loop"),
                e.getMessage());
    }

    @Test
    @ProvokesConfinementViolations
    void aSessionCannotBeCreatedOffAnEventLoop() {
        assertThrows(AssertionError.class, () -> new ProduceSession(null, socket, null, RecordFormat.JSON, Acks.LEADER, 1_000));
    }

    private static <T> Future<T> on(io.vertx.core.Context context, Callable<T> task) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> {
            try {
                promise.complete(task.call());
            } catch (Throwable t) {
                promise.fail(t);
            }
        });
        return promise.future();
    }
}

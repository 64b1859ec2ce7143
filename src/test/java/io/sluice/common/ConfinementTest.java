package io.sluice.common;

import io.sluice.testing.Await;
import io.sluice.testing.ProvokesConfinementViolations;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The confinement check itself: on in every test JVM, silent on the owner's event loop (on its
 * context, a duplicate of it, a timer set there), loud anywhere else, and counted.
 */
class ConfinementTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void assertionsAndWithThemTheChecksAreOnInTheTestJvm() {
        assertTrue(Confinement.checked(), "Confinement's checks are off: the test JVM runs without -ea (see pom.xml)");
        assertThrows(AssertionError.class, () -> {
            assert false : "assertions are on";
        });
    }

    @Test
    void theOwnersEventLoopPassesOnItsContextADuplicateAndATimer() {
        Context context = vertx.getOrCreateContext();
        Confinement confinement = Await.result(onContext(context, () -> Confinement.toCurrentEventLoop("owner")));
        Await.result(onContext(context, () -> {
            confinement.check();
            return null;
        }));
        Context duplicate = ((io.vertx.core.internal.ContextInternal) context).duplicate();
        Promise<Void> timerRan = Promise.promise();
        duplicate.runOnContext(v -> {
            confinement.check();
            vertx.setTimer(1, id -> {
                confinement.check();
                timerRan.complete();
            });
        });
        Await.result(timerRan.future());
    }

    @Test
    @ProvokesConfinementViolations
    void anotherThreadFailsNamingTheOwnerItsThreadAndTheIntruder() {
        Context context = vertx.getOrCreateContext();
        Confinement confinement = Await.result(onContext(context, () -> Confinement.toCurrentEventLoop("Owner 7")));
        String loop = Await.result(onContext(context, () -> Thread.currentThread().getName()));
        long before = Confinement.violations();

        AssertionError e = assertThrows(AssertionError.class, confinement::check);
        assertEquals("confinement violated: Owner 7 is confined to its event loop, thread '" + loop
                + "', but was entered on thread '" + Thread.currentThread().getName() + "'", e.getMessage());

        // A worker thread (where blocking work continues) is as foreign as any.
        Future<Object> onWorker = vertx.executeBlocking(() -> {
            confinement.check();
            return null;
        });
        Throwable failure = assertThrows(Exception.class, () -> Await.result(onWorker));
        assertInstanceOf(AssertionError.class, rootCause(failure));
        assertEquals(before + 2, Confinement.violations(), "every violation is counted");
    }

    @Test
    @ProvokesConfinementViolations
    void aConfinementCannotBeMadeOffAnEventLoop() {
        AssertionError e = assertThrows(AssertionError.class, () -> Confinement.toCurrentEventLoop("Owner 8"));
        assertTrue(e.getMessage().contains("Owner 8 must be confined to the event loop it starts on"), e.getMessage());
    }

    private static <T> Future<T> onContext(Context context, java.util.concurrent.Callable<T> task) {
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

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}

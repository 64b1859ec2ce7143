package io.sluice.cluster;

import io.sluice.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A wait for a metadata version completes on the waiter's context, whichever thread applies the
 * version: the waiters' continuations touch state confined to their own event loop.
 */
class MetadataCacheTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void aVersionAppliedOnAnotherThreadCompletesTheWaitOnTheWaitersContext() throws Exception {
        MetadataCache cache = new MetadataCache(vertx);
        Context waiter = vertx.getOrCreateContext();
        Promise<String> waiterThread = Promise.promise();
        Promise<String> continuedOn = Promise.promise();
        waiter.runOnContext(v -> {
            waiterThread.complete(Thread.currentThread().getName());
            cache.awaitVersion(2, 30_000).onComplete(ar -> continuedOn.complete(Thread.currentThread().getName()));
        });
        String expected = Await.result(waiterThread.future());

        Thread applier = new Thread(() -> cache.apply(new ClusterMetadata(1, 2, Map.of())), "metadata-applier");
        applier.start();
        applier.join();

        assertEquals(expected, Await.result(continuedOn.future()));
    }
}

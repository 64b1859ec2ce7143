package io.sluice.cluster;

import io.sluice.quorum.MetadataDelta;
import io.sluice.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The controller publishes each commit as the delta it committed: a node whose metadata is the
 * delta's base applies it, one that is not (it missed a publication) pulls the whole metadata,
 * and the controller's own node ignores its own publications.
 */
class MetadataDeltaPublicationTest {
    @TempDir
    Path dataDir;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aDeltaOnItsBaseIsAppliedAndOneWithAGapIsPulledWhole() throws Exception {
        MetadataCache cache = new MetadataCache(vertx);
        ControllerLocator locator = new ControllerLocator();
        MetadataSync sync = new MetadataSync("n1", new MetadataStore(dataDir), cache, locator);
        ClusterMetadata v4 = metadata(4, "a", "b", "c", "d");
        AtomicInteger pulls = new AtomicInteger();
        sync.pullWith(() -> {
            pulls.incrementAndGet();
            return Future.succeededFuture(v4);
        });
        Await.result(vertx.deployVerticle(sync));

        ClusterMetadata v1 = metadata(1, "a");
        MetadataSync.publish(vertx, "n0", v1);
        Await.until("the whole metadata is taken", Duration.ofSeconds(10), () -> cache.current().version() == 1);

        ClusterMetadata v2 = metadata(2, "a", "b");
        MetadataSync.publishDelta(vertx, "n0", MetadataDelta.between(v1, v2));
        Await.until("the delta is applied", Duration.ofSeconds(10), () -> cache.current().version() == 2);
        assertEquals(v2, cache.current());
        assertEquals(0, pulls.get(), "a delta on this node's metadata needs no pull");

        // Version 3's publication never arrived: version 4's delta does not apply, so the node pulls.
        MetadataSync.publishDelta(vertx, "n0", MetadataDelta.between(metadata(3, "a", "b", "c"), v4));
        Await.until("the whole metadata is pulled", Duration.ofSeconds(10), () -> cache.current().version() == 4);
        assertEquals(v4, cache.current());
        assertEquals(1, pulls.get());

        // The controller's own node applied its commits itself: its publications are not taken again.
        MetadataSync.publishDelta(vertx, "n1", MetadataDelta.between(v4, metadata(5, "e")));
        MetadataSync.publishDelta(vertx, "n0", MetadataDelta.between(v4, metadata(5, "a", "b", "c", "d", "e")));
        Await.until("the controller's version 5 is applied", Duration.ofSeconds(10), () -> cache.current().version() == 5);
        assertEquals(metadata(5, "a", "b", "c", "d", "e"), cache.current(), "not the delta published by this node itself");
    }

    private static ClusterMetadata metadata(long version, String... topics) {
        Map<String, TopicMetadata> m = new TreeMap<>();
        for (String t : topics) {
            m.put(t, new TopicMetadata(t, t + "-id", Map.of(),
                    List.of(new PartitionAssignment(0, List.of("n0"), "n0", 0, List.of("n0")))));
        }
        return new ClusterMetadata(1, version, m);
    }
}

package io.sluice.cluster;

import io.sluice.testing.Await;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A voter's node takes the metadata its own quorum member committed, persisted before it is
 * applied, newest first when several arrive at once, and never an older version over a newer one;
 * on the controller's own node it is left to the controller, which persists and applies each
 * version before publishing it.
 */
class MetadataSyncCommittedTest {
    @TempDir
    Path dataDir;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void committedMetadataIsPersistedAndAppliedOnlyWhenNewer() throws Exception {
        MetadataStore store = new MetadataStore(dataDir);
        MetadataCache cache = new MetadataCache(vertx);
        List<Long> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
        cache.onChange(m -> applied.add(m.version()));
        ControllerLocator locator = new ControllerLocator();
        locator.observe("n0", 1);
        MetadataSync sync = new MetadataSync("n1", store, cache, locator);
        Await.result(vertx.deployVerticle(sync));

        sync.committed(metadata(1, "a"));
        sync.committed(metadata(2, "a", "b"));
        sync.committed(metadata(3, "a", "b", "c"));
        Await.until("version 3 is applied", Duration.ofSeconds(10), () -> cache.current().version() == 3);
        Await.until("persisted as well as applied", Duration.ofSeconds(10), () -> metadata(3, "a", "b", "c").equals(load(store)));

        sync.committed(metadata(2, "a", "b"));   // late: older than what the node has
        sync.committed(metadata(4, "d"));
        Await.until("version 4 is applied", Duration.ofSeconds(10), () -> cache.current().version() == 4);
        Await.until("version 4 persisted", Duration.ofSeconds(10), () -> metadata(4, "d").equals(load(store)));
        for (int i = 1; i < applied.size(); i++) {
            assertTrue(applied.get(i) > applied.get(i - 1), "versions applied in order, never back: " + applied);
        }
    }

    @Test
    void onTheControllersOwnNodeTheControllerAppliesItsCommitsItself() throws Exception {
        MetadataStore store = new MetadataStore(dataDir);
        MetadataCache cache = new MetadataCache(vertx);
        List<Long> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
        cache.onChange(m -> applied.add(m.version()));
        ControllerLocator locator = new ControllerLocator();
        locator.observe("n1", 1);
        MetadataSync sync = new MetadataSync("n1", store, cache, locator);
        Await.result(vertx.deployVerticle(sync));

        sync.committed(metadata(1, "a"));
        // Another node becomes controller: from now on this node takes what its quorum member commits.
        locator.observe("n0", 2);
        sync.committed(metadata(2, "a", "b"));
        Await.until("version 2 is applied", Duration.ofSeconds(10), () -> cache.current().version() == 2);
        assertEquals(List.of(2L), applied, "version 1 was the controller's own to apply, not the sync's");
    }

    private static ClusterMetadata load(MetadataStore store) {
        try {
            return store.load();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ClusterMetadata metadata(long version, String... topics) {
        Map<String, TopicMetadata> m = new java.util.TreeMap<>();
        for (String t : topics) {
            m.put(t, new TopicMetadata(t, t + "-id", Map.of(),
                    List.of(new PartitionAssignment(0, List.of("n0"), "n0", 0, List.of("n0")))));
        }
        return new ClusterMetadata(1, version, m);
    }
}

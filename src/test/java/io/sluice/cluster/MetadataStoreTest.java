package io.sluice.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node's durable copy of the cluster metadata. */
class MetadataStoreTest {
    @TempDir
    Path dir;

    @Test
    void savesAndLoadsTheNewestSnapshotAndStartsEmpty() throws Exception {
        MetadataStore store = new MetadataStore(dir);
        assertEquals(ClusterMetadata.EMPTY, store.load());
        ClusterMetadata m = new ClusterMetadata(2, 7, Map.of());
        store.save(m);
        assertEquals(m, new MetadataStore(dir).load());
    }

    @Test
    void twoWritersAtOnceNeverFailAndLeaveOneWholeSnapshot() throws Exception {
        // The controller's commits and the node's MetadataSync save through the same store.
        MetadataStore store = new MetadataStore(dir);
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<?>[] writers = new CompletableFuture<?>[2];
        for (int w = 0; w < 2; w++) {
            long epoch = w + 1;
            writers[w] = CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                    for (int v = 1; v <= 300; v++) {
                        store.save(new ClusterMetadata(epoch, v, Map.of()));
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
        }
        go.countDown();
        CompletableFuture.allOf(writers).get(60, TimeUnit.SECONDS);
        ClusterMetadata last = store.load();
        assertEquals(300, last.version());
        assertTrue(last.controllerEpoch() == 1 || last.controllerEpoch() == 2, last.toString());
    }
}

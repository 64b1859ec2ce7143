package io.sluice.quorum;

import io.sluice.cluster.ClusterMetadata;
import io.sluice.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A proposal never waits on Ratis's server monitor in the caller's thread (the controller proposes
 * from its event loop): Ratis's submission joins a future that needs the monitor, which Ratis holds,
 * for one, while a leader removed from the voters shuts itself down. Found as a node whose close
 * hung for a minute behind a blocked event loop.
 */
class MetadataQuorumTest {
    @TempDir
    Path dir;

    @Test
    void proposingReturnsAtOnceWhileRatisHoldsItsMonitorAndCommitsOnceReleased() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Voter me = new Voter("n0", "127.0.0.1", port);
        QuorumPlan plan = new QuorumPlan(List.of(me), me, "127.0.0.1", port);
        try (MetadataQuorum quorum = MetadataQuorum.start(plan, dir, "monitor-test", new QuorumSettings(150, 300, 10_000),
                new MetadataQuorum.Listener() {
                    @Override
                    public void leaderChanged(String leader) {
                    }

                    @Override
                    public void leaderReady() {
                    }
                })) {
            Await.until("a quorum of one leads", Duration.ofSeconds(20), quorum::isReadyLeader);
            Object monitor = quorum.division();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                synchronized (monitor) {
                    held.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            holder.start();
            CompletableFuture<Boolean> proposed;
            try {
                assertTrue(held.await(10, TimeUnit.SECONDS));
                ClusterMetadata next = new ClusterMetadata(1, 1, java.util.Map.of());
                proposed = assertTimeoutPreemptively(Duration.ofSeconds(5),
                        () -> quorum.propose(MetadataDelta.between(ClusterMetadata.EMPTY, next)),
                        "propose() waited on Ratis's monitor in the caller's thread");
                assertFalse(proposed.isDone(), "nothing can be appended while the monitor is held");
            } finally {
                release.countDown();
                holder.join();
            }
            assertTrue(proposed.get(20, TimeUnit.SECONDS), "committed and applied once Ratis has its monitor back");
        }
    }
}

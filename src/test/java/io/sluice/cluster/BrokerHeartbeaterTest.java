package io.sluice.cluster;

import io.sluice.bus.BrokerHeartbeatRequest;
import io.sluice.bus.BrokerHeartbeatResponse;
import io.sluice.bus.BusCodecs;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker's heartbeats say "unclean start" only until its first lease: the lease proves that a
 * controller committed the start's fencing, and a controller elected later (which knows nothing of
 * what the previous one acted on) must not fence the node again. The power-cut fault scenario that
 * found it: two of three nodes lost power, the new controller re-fenced the third node (whose log was
 * whole, from its first start on an empty disk) before the two, and elected an empty replica.
 */
class BrokerHeartbeaterTest {
    Vertx vertx;
    final List<BrokerHeartbeatRequest> seen = new CopyOnWriteArrayList<>();
    final AtomicBoolean grant = new AtomicBoolean();

    @BeforeEach
    void controller() throws Exception {
        vertx = Vertx.vertx();
        BusCodecs.register(vertx.eventBus());
        // The controller's side, for real on the event bus: records each heartbeat, grants when told to.
        vertx.eventBus().<BrokerHeartbeatRequest>consumer(NodeEndpoint.address("c1"), m -> {
            seen.add(m.body());
            m.reply(new BrokerHeartbeatResponse(1, 0, grant.get()));
        }).completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private BrokerHeartbeater start(boolean uncleanStart, BrokerLease lease) throws Exception {
        ControllerLocator locator = new ControllerLocator();
        locator.observe("c1", 1);
        BrokerHeartbeater hb = new BrokerHeartbeater("b1", 42, uncleanStart, locator, new MetadataCache(vertx), lease, 20, 2_000,
                System::nanoTime, () -> true);
        vertx.deployVerticle(hb).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return hb;
    }

    private void awaitHeartbeats(int more) throws InterruptedException {
        int want = seen.size() + more;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seen.size() < want) {
            assertTrue(System.nanoTime() < deadline, "no heartbeats");
            Thread.sleep(5);   // polling for a condition, with a deadline
        }
    }

    @Test
    void anUncleanStartSaysSoUntilItsFirstLeaseAndNeverAfter() throws Exception {
        BrokerLease lease = new BrokerLease(System::nanoTime);
        BrokerHeartbeater hb = start(true, lease);
        awaitHeartbeats(3);
        assertTrue(seen.stream().allMatch(BrokerHeartbeatRequest::uncleanStart), "before a lease: unclean, every time");
        assertFalse(lease.valid());
        grant.set(true);
        hb.firstLease().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        int granted = seen.size();
        awaitHeartbeats(3);
        assertTrue(lease.valid());
        assertTrue(seen.subList(granted, seen.size()).stream().noneMatch(BrokerHeartbeatRequest::uncleanStart),
                "after the first lease (the fencing is committed): a later controller must not fence it again");
    }

    @Test
    void aCleanStartNeverSaysUnclean() throws Exception {
        start(false, new BrokerLease(System::nanoTime));
        awaitHeartbeats(3);
        assertTrue(seen.stream().noneMatch(BrokerHeartbeatRequest::uncleanStart));
    }
}

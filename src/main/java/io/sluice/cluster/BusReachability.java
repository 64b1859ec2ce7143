package io.sluice.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether this node reaches every other member's event-bus addresses, probed with a ping to each
 * member's {@link NodeEndpoint} every {@value #PROBE_MS} ms (which also keeps every door's address
 * resolved here, for a controller failover that must not wait on Hazelcast). After Hazelcast merges a split cluster, the subscriptions a side
 * lost come back only as each node republishes its own (vert.x issue 4394), so a node that has
 * just rejoined, or started, counts as <em>unverified</em> until one round reaches every member:
 * until then it renews no lease, so it leads and serves nothing (see {@link BrokerHeartbeater}).
 * The members it cannot reach show in {@code /cluster} and {@code /health}.
 */
public final class BusReachability extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(BusReachability.class.getName());
    static final long PROBE_MS = 500;

    private final ClusterMembership membership;
    private long timer = -1;
    private volatile Set<String> unreachable = Set.of();
    private volatile boolean verified;
    private boolean probing;

    public BusReachability(ClusterMembership membership) {
        this.membership = membership;
    }

    @Override
    public Future<?> start() {
        membership.onMerge(() -> context.runOnContext(v -> {
            LOG.log(System.Logger.Level.INFO, "the cluster merged after a split: checking that every member is reachable");
            verified = false;
            probe();
        }));
        timer = vertx.setPeriodic(0, PROBE_MS, id -> probe());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
    }

    /** Whether the last full round since the node started or merged reached every member. */
    public boolean verified() {
        return verified;
    }

    /** Members the last round did not reach. */
    public Set<String> unreachable() {
        return unreachable;
    }

    private void probe() {
        if (probing) {
            return;
        }
        probing = true;
        List<String> others = new ArrayList<>(membership.ids());
        others.remove(membership.nodeId());
        List<Future<?>> answers = new ArrayList<>();
        for (String node : others) {
            answers.add(vertx.eventBus().request(NodeEndpoint.address(node), "ping", new DeliveryOptions().setSendTimeout(PROBE_MS * 2)));
        }
        Future.join(answers).onComplete(ar -> {
            probing = false;
            Set<String> missed = new TreeSet<>();
            for (int i = 0; i < others.size(); i++) {
                if (!answers.get(i).succeeded() && membership.ids().contains(others.get(i))) {
                    missed.add(others.get(i));
                }
            }
            if (!missed.equals(unreachable)) {
                LOG.log(missed.isEmpty() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                        missed.isEmpty() ? "every member is reachable over the event bus" : "members not reachable over the event bus: " + missed);
            }
            unreachable = Set.copyOf(missed);
            if (missed.isEmpty()) {
                verified = true;
            }
        });
    }
}

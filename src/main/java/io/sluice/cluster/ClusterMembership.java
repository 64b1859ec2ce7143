package io.sluice.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The cluster's members as Sluice sees them, straight from Hazelcast (no membership of our own):
 * each member carries its Sluice node id as a member attribute, set before it joins; the
 * controller is whichever node the {@link ControllerLocator} follows (the quorum's leader); HTTP
 * endpoints are published in a replicated map and read only for live members. Listeners hear
 * about joins and departures (on a Hazelcast thread: they must hop to their own context).
 */
public final class ClusterMembership implements LiveNodes, ClusterView {
    public static final String NODE_ID_ATTRIBUTE = "sluice.node.id";
    private static final String ENDPOINTS = "sluice.http.endpoints";

    private final HazelcastInstance hazelcast;
    private final String nodeId;
    private final String clusterName;
    private final ReplicatedMap<String, String> endpoints;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> mergeListeners = new CopyOnWriteArrayList<>();
    private final ControllerLocator controller;

    /** Live node ids, oldest first; null after a membership change until asked again. */
    private volatile List<String> liveIds;
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

    public ClusterMembership(HazelcastInstance hazelcast, String nodeId, String clusterName, ControllerLocator controller) {
        this.hazelcast = hazelcast;
        this.controller = controller;
        this.nodeId = nodeId;
        this.clusterName = clusterName;
        this.endpoints = hazelcast.getReplicatedMap(ENDPOINTS);
        hazelcast.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == com.hazelcast.core.LifecycleEvent.LifecycleState.MERGED) {
                changes.incrementAndGet();
                liveIds = null;
                mergeListeners.forEach(Runnable::run);
            }
        });
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                changes.incrementAndGet();
                liveIds = null;
                listeners.forEach(Runnable::run);
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                changes.incrementAndGet();
                liveIds = null;
                listeners.forEach(Runnable::run);
            }
        });
    }

    /** Called (on a Hazelcast thread) when this member merged back into a cluster after a split. */
    public void onMerge(Runnable listener) {
        mergeListeners.add(listener);
    }

    /** Publishes where this node's HTTP API listens. */
    public void publishEndpoint(String host, int port) {
        endpoints.put(nodeId, host + ":" + port);
    }

    /** Called on every join and departure. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public String nodeId() {
        return nodeId;
    }

    /** Live node ids, oldest first. */
    @Override
    public List<String> ids() {
        // Asked on every forwarded request: computed once per membership change.
        List<String> ids = liveIds;
        if (ids == null) {
            long version = changes.get();
            List<String> out = new ArrayList<>();
            for (Member m : hazelcast.getCluster().getMembers()) {
                String id = m.getAttribute(NODE_ID_ATTRIBUTE);
                if (id != null) {
                    out.add(id);
                }
            }
            ids = List.copyOf(out);
            if (changes.get() == version) {
                // (A change during the computation leaves the cache empty: the next call recomputes.)
                liveIds = ids;
            }
        }
        return ids;
    }

    @Override
    public String controllerId() {
        return controller.controllerId();
    }

    /** Whether other members than this node are in the cluster. */
    public boolean othersPresent() {
        return hazelcast.getCluster().getMembers().size() > 1;
    }

    public boolean isController() {
        return nodeId.equals(controllerId());
    }

    @Override
    public List<NodeInfo> nodes() {
        List<NodeInfo> out = new ArrayList<>();
        for (String id : ids()) {
            String endpoint = endpoints.get(id);
            String host = "";
            int port = -1;
            if (endpoint != null) {
                int colon = endpoint.lastIndexOf(':');
                host = endpoint.substring(0, colon);
                port = Integer.parseInt(endpoint.substring(colon + 1));
            }
            out.add(new NodeInfo(id, host, port));
        }
        return out;
    }

    @Override
    public String clusterName() {
        return clusterName;
    }
}

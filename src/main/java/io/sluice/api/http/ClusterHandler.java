package io.sluice.api.http;

import io.sluice.api.Api;
import io.sluice.bus.ControllerCommand;
import io.sluice.cluster.ClusterView;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicMetadata;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;

/** {@code /cluster}, {@code /replicas}, {@code /health}, {@code /ready} and {@code /metrics}. */
final class ClusterHandler {
    private final Api api;

    ClusterHandler(Api api) {
        this.api = api;
    }

    void cluster(RoutingContext ctx) {
        Map<String, Integer> leaders = new HashMap<>();
        Map<String, Integer> replicas = new HashMap<>();
        int partitions = 0;
        for (TopicMetadata t : api.metadata().current().topics().values()) {
            for (PartitionAssignment pa : t.partitions()) {
                partitions++;
                if (pa.leader() != null) {
                    leaders.merge(pa.leader(), 1, Integer::sum);
                }
                for (String r : pa.replicas()) {
                    replicas.merge(r, 1, Integer::sum);
                }
            }
        }
        JsonArray nodes = new JsonArray();
        for (ClusterView.NodeInfo n : api.cluster().nodes()) {
            nodes.add(new JsonObject().put("id", n.id()).put("http_host", n.httpHost()).put("http_port", n.httpPort())
                    .put("alive", true)
                    .put("controller", n.id().equals(api.cluster().controllerId()))
                    .put("leaders", leaders.getOrDefault(n.id(), 0)).put("replicas", replicas.getOrDefault(n.id(), 0)));
        }
        ctx.json(new JsonObject().put("cluster_name", api.cluster().clusterName()).put("node_id", api.nodeId())
                .put("controller", api.cluster().controllerId()).put("metadata_version", api.metadata().current().version())
                .put("topics", api.metadata().current().topics().size()).put("partitions", partitions)
                .put("nodes", nodes).put("quorum", quorum()));
    }

    private JsonObject quorum() {
        io.sluice.cluster.QuorumStatus q = api.quorum().get();
        return new JsonObject().put("role", q.voter() ? "voter" : "broker").put("voters", new JsonArray(q.voters()))
                .put("controller_epoch", q.controllerEpoch()).put("lease_remaining_ms", q.leaseRemainingMs())
                .put("unreachable", new JsonArray(q.unreachable()));
    }

    /** {@code POST /cluster/voters {"voters":"id@host:port,..."}}: the quorum's new voters, once Raft committed them. */
    void setVoters(RoutingContext ctx) {
        JsonObject body = Bodies.jsonObject(ctx);
        if (!(body.getValue("voters") instanceof String voters)) {
            ctx.fail(new io.sluice.common.SluiceException(io.sluice.common.ErrorCode.BAD_REQUEST,
                    "'voters' must be a string: id@host:port,..."));
            return;
        }
        api.controller().setVoters(voters)
                .onSuccess(committed -> ctx.json(new JsonObject().put("voters", new JsonArray(committed))))
                .onFailure(ctx::fail);
    }

    /**
     * {@code GET /replicas}: this node's own replicas as they are now (role, offsets, waiting
     * requests, the leader's view of each follower, the follower's fetch loop): where to look
     * when a partition's high watermark does not move.
     */
    void replicas(RoutingContext ctx) {
        api.replicas().describeLocal().onSuccess(all -> ctx.json(new JsonObject().put("node_id", api.nodeId())
                .put("replicas", ReplicaStatusJson.render(all)))).onFailure(ctx::fail);
    }

    /** {@code POST /cluster/rebalance}: spreads replicas and preferred leaders evenly over the live nodes. */
    void rebalance(RoutingContext ctx) {
        api.controller().execute(new ControllerCommand.Rebalance()).onSuccess(version -> {
            int moving = 0;
            for (TopicMetadata t : api.metadata().current().topics().values()) {
                for (PartitionAssignment pa : t.partitions()) {
                    if (pa.reassigning()) {
                        moving++;
                    }
                }
            }
            ctx.json(new JsonObject().put("metadata_version", version).put("partitions_moving", moving));
        }).onFailure(ctx::fail);
    }

    void health(RoutingContext ctx) {
        // Alive either way (a liveness probe must not restart a node cut off from its peers), but it says so.
        java.util.List<String> unreachable = api.quorum().get().unreachable();
        ctx.json(new JsonObject().put("status", unreachable.isEmpty() ? "UP" : "DEGRADED").put("node_id", api.nodeId())
                .put("unreachable", new JsonArray(unreachable)));
    }

    void ready(RoutingContext ctx) {
        boolean ready = api.replicas().ready();
        JsonObject body = new JsonObject();
        if (!ready) {
            // A 503 like any other: the error shape, beside the probe's own fields.
            body.put("error_code", io.sluice.common.ErrorCode.UNAVAILABLE.code())
                    .put("message", "node " + api.nodeId() + " is not ready: its partitions are not all up, or it holds no lease");
            ctx.response().putHeader("retry-after", "1");
        }
        ctx.response().setStatusCode(ready ? 200 : 503);
        ctx.json(body.put("status", ready ? "READY" : "STARTING").put("node_id", api.nodeId()));
    }

    void metrics(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(api.metrics().scrape());
    }
}

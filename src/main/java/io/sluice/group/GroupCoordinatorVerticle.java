package io.sluice.group;

import io.sluice.common.Monotonic;
import io.sluice.common.ErrorCode;
import io.sluice.common.Failures;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.BrokerLease;
import io.sluice.cluster.MetadataCache;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicMetadata;
import io.sluice.group.ConsumerGroup.Member;
import io.sluice.group.ConsumerGroup.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The group coordinator of this node: it owns the consumer groups whose {@link OffsetsTopic}
 * partition this node leads. Members (consumer sockets on any node) join, heartbeat, commit and
 * leave through its bus address; it assigns partitions ({@link Rebalancer}), expires members that
 * stop heartbeating, rebalances when topics or partitions change, and keeps committed offsets in
 * the offsets topic ({@link OffsetsStore}), replaying a partition when it takes it over.
 *
 * <p>All group state is confined to this verticle's context.
 */
public final class GroupCoordinatorVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(GroupCoordinatorVerticle.class.getName());
    private static final long EXPIRY_CHECK_MS = 200;

    private final String nodeId;
    private final MetadataCache metadata;
    private final OffsetsStore store;
    /** The broker's lease: a coordinator without one answers nothing (it may have been replaced). */
    private final BrokerLease lease;
    private final GroupAdmin admin;
    private final long lagRefreshMs;
    private final Map<String, ConsumerGroup> groups = new HashMap<>();
    /** Offsets partitions replayed (or being replayed) here. */
    private final Map<Integer, Future<Void>> loaded = new HashMap<>();
    /**
     * The leader epoch of each loaded offsets partition at its loading: a partition led here again in
     * a later epoch is loaded again, since another coordinator may have stored commits in between
     * (this node can miss the metadata versions in which it did not lead).
     */
    private final Map<Integer, Integer> loadedEpochs = new HashMap<>();
    private Rebalancer rebalancer;
    private MessageConsumer<JsonObject> consumer;
    private long expiryTimer;
    private long lagTimer;

    public GroupCoordinatorVerticle(String nodeId, MetadataCache metadata, OffsetsStore store, GroupAdmin admin,
                                    long lagRefreshMs, BrokerLease lease) {
        this.nodeId = nodeId;
        this.lease = lease;
        this.lagRefreshMs = lagRefreshMs;
        this.metadata = metadata;
        this.store = store;
        this.admin = admin;
    }

    /**
     * Request field: the leader epoch of the group's offsets partition the sender took this node
     * to coordinate in. A request for another epoch is refused with NOT_COORDINATOR (the sender
     * looks the coordinator up again), as Kafka fences requests by leader epoch.
     */
    static final String COORDINATOR_EPOCH = "coordinator_epoch";

    public static String address(String nodeId) {
        return "sluice.group.coordinator." + nodeId;
    }

    @Override
    public Future<?> start() {
        rebalancer = new Rebalancer(vertx, metadata, store);
        metadata.onChange(m -> context.runOnContext(v -> onMetadata(m)));
        expiryTimer = vertx.setPeriodic(EXPIRY_CHECK_MS, id -> expireMembers());
        lagTimer = vertx.setPeriodic(lagRefreshMs, id -> {
            for (ConsumerGroup g : groups.values()) {
                admin.refreshLag(g);
            }
        });
        consumer = vertx.eventBus().consumer(address(nodeId), this::onMessage);
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(expiryTimer);
        vertx.cancelTimer(lagTimer);
        return consumer.unregister();
    }

    private void onMessage(Message<JsonObject> msg) {
        JsonObject req = msg.body();
        String op = req.getString("op", "");
        Future<JsonObject> result;
        try {
            if (op.equals("list")) {
                result = Future.succeededFuture(list());
            } else {
                String groupId = req.getString("group");
                if (groupId == null || groupId.isEmpty()) {
                    throw new SluiceException(ErrorCode.BAD_REQUEST, "group id is required");
                }
                result = withGroup(groupId, req.getInteger(COORDINATOR_EPOCH, -1)).compose(loadedOk -> handle(op, groupId, req));
            }
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onSuccess(msg::reply).onFailure(e -> {
            SluiceException se = Failures.toSluice(e);
            if (se.code() == ErrorCode.INTERNAL) {
                LOG.log(System.Logger.Level.WARNING, "group request " + op + " failed", e);
            }
            msg.fail(se.code().code(), se.getMessage());
        });
    }

    /**
     * Checks this node coordinates {@code groupId} (in {@code askedEpoch}, when the request names
     * one) and has replayed its offsets partition.
     */
    private Future<Void> withGroup(String groupId, int askedEpoch) {
        int p = store.partitionFor(groupId);
        TopicMetadata offsets = metadata.current().topic(OffsetsTopic.NAME);
        PartitionAssignment pa = offsets.partition(p);
        if (!nodeId.equals(pa.leader())) {
            throw new SluiceException(ErrorCode.NOT_COORDINATOR, "node " + nodeId + " does not coordinate group '" + groupId + "'");
        }
        if (askedEpoch >= 0 && askedEpoch != pa.leaderEpoch()) {
            throw new SluiceException(ErrorCode.NOT_COORDINATOR, "the request was for the coordinator of group '" + groupId
                    + "' in epoch " + askedEpoch + "; node " + nodeId + " coordinates it in epoch " + pa.leaderEpoch());
        }
        if (!lease.valid()) {
            // Cut off from the controller, it may have been replaced: its groups' state (committed
            // offsets above all) may be behind the next coordinator's, and must not be served.
            throw new SluiceException(ErrorCode.NOT_COORDINATOR, "node " + nodeId + " holds no lease from the controller;"
                    + " it does not coordinate group '" + groupId + "' until it does");
        }
        Integer epoch = loadedEpochs.get(p);
        if (epoch != null && epoch != pa.leaderEpoch()) {
            unload(p, offsets);
        }
        loadedEpochs.put(p, pa.leaderEpoch());
        store.loaded(p, pa.leaderEpoch());
        return loaded.computeIfAbsent(p, this::load);
    }

    private Future<Void> load(int p) {
        return store.replay(p, replayed).onSuccess(v -> resumeGroups(p)).onFailure(e -> loaded.remove(p)).recover(e -> Future.failedFuture(
                new SluiceException(ErrorCode.COORDINATOR_LOADING, "offsets partition " + p + " could not be read: " + e.getMessage())));
    }

    /**
     * The groups of offsets partition {@code p} just replayed keep the members the last
     * coordinator stored: each gets a full session from now to find this coordinator, and one
     * rebalance tells every member the new generation. With the sticky assignor nothing moves
     * unless a member is gone; a member keeps reading what it holds, and one that gave a partition
     * up while the last coordinator was storing the generation starts it from the committed
     * offset. Members that do not come back expire as usual.
     */
    private void resumeGroups(int p) {
        long now = Monotonic.millis();
        TopicMetadata offsets = metadata.current().topic(OffsetsTopic.NAME);
        for (ConsumerGroup g : groups.values()) {
            if (g.active() && OffsetsTopic.partitionFor(g.id, offsets.partitionCount()) == p) {
                g.members.values().forEach(m -> m.lastHeartbeat = now);
                rebalancer.request(g, "coordinator moved to node " + nodeId + " with " + g.members.size()
                        + " member(s) of generation " + g.generation);
            }
        }
    }

    /** Applies the replayed records of the offsets topic. */
    private final OffsetsStore.Replay replayed = new OffsetsStore.Replay() {
        @Override
        public void offsetCommit(String groupId, TopicPartition tp, OffsetsTopicCodec.OffsetCommit commit) {
            if (commit == null) {
                ConsumerGroup g = groups.get(groupId);
                if (g != null) {
                    g.committed.remove(tp);
                    dropIfGone(g);
                }
            } else {
                groups.computeIfAbsent(groupId, ConsumerGroup::new).committed.put(tp, commit.offset());
            }
        }

        @Override
        public void groupMetadata(String groupId, JsonObject value) {
            if (value == null) {
                groups.remove(groupId);
            } else {
                ConsumerGroup g = groups.computeIfAbsent(groupId, ConsumerGroup::new);
                g.persisted = true;
                g.assignor = value.getString("assignor", g.assignor);
                g.generation = Math.max(g.generation, value.getInteger("generation", 0));
                g.restoreMembers(value.getJsonArray("members"), Monotonic.millis());
            }
        }
    };

    private void dropIfGone(ConsumerGroup g) {
        if (!g.active() && g.committed.isEmpty() && !g.persisted) {
            groups.remove(g.id);
        }
    }

    private Future<JsonObject> handle(String op, String groupId, JsonObject req) {
        return switch (op) {
            case "join" -> join(groupId, req);
            case "heartbeat" -> heartbeat(existing(groupId), req.getString("member_id"));
            case "leave" -> leave(existing(groupId), req.getString("member_id"));
            case "commit" -> commitByMember(existing(groupId), req);
            case "describe" -> admin.describe(known(groupId));
            case "fetch_offsets" -> Future.succeededFuture(GroupAdmin.offsetsJson(known(groupId)));
            case "commit_offsets" -> commitByAdmin(groupId, req.getJsonArray("offsets"));
            case "reset" -> admin.reset(known(groupId), req).compose(offsets -> writeAdmin(known(groupId), offsets));
            case "delete" -> delete(known(groupId));
            default -> Future.failedFuture(new SluiceException(ErrorCode.BAD_REQUEST, "unknown group operation '" + op + "'"));
        };
    }

    private ConsumerGroup existing(String groupId) {
        ConsumerGroup g = groups.get(groupId);
        if (g == null) {
            throw new SluiceException(ErrorCode.UNKNOWN_MEMBER, "group '" + groupId + "' has no such member");
        }
        return g;
    }

    /** A group that has members, committed offsets or a stored record; else 404. */
    private ConsumerGroup known(String groupId) {
        ConsumerGroup g = groups.get(groupId);
        if (g == null) {
            throw new SluiceException(ErrorCode.UNKNOWN_GROUP, "group '" + groupId + "' does not exist");
        }
        return g;
    }

    // ---------------------------------------------------------------- membership

    private Future<JsonObject> join(String groupId, JsonObject req) {
        ConsumerGroup g = groups.computeIfAbsent(groupId, ConsumerGroup::new);
        String assignor = req.getString("assignor", "sticky");
        if (g.active() && !g.assignor.equals(assignor)) {
            throw new SluiceException(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, "group '" + groupId + "' uses the "
                    + g.assignor + " assignor, this member asked for " + assignor);
        }
        if (!g.active()) {
            g.assignor = assignor;
        }
        String memberId = groupId + "-" + UUID.randomUUID();
        Subscription sub = Subscription.of(req.getJsonArray("topics").stream().map(Object::toString).toList());
        Member m = new Member(memberId, req.getString("member_address"), req.getString("node"), req.getString("client"),
                sub, req.getLong("session_timeout_ms"), Monotonic.millis());
        g.members.put(memberId, m);
        Future<Void> created = Future.succeededFuture();
        if (!g.persisted) {
            g.persisted = true;
            created = store.writeGroup(groupId, g.record(System.currentTimeMillis()));
        }
        return created.map(v -> {
            rebalancer.request(g, "member " + memberId + " joined from node " + m.node);
            return new JsonObject().put("member_id", memberId);
        });
    }

    private Future<JsonObject> heartbeat(ConsumerGroup g, String memberId) {
        Member m = g.members.get(memberId);
        if (m == null) {
            throw new SluiceException(ErrorCode.UNKNOWN_MEMBER, "member " + memberId + " is not in group '" + g.id + "'");
        }
        m.lastHeartbeat = Monotonic.millis();
        return Future.succeededFuture(new JsonObject().put("generation", g.generation));
    }

    private Future<JsonObject> leave(ConsumerGroup g, String memberId) {
        if (g.members.containsKey(memberId)) {
            removeMember(g, memberId, "left");
        }
        return Future.succeededFuture(new JsonObject());
    }

    private void removeMember(ConsumerGroup g, String memberId, String why) {
        g.members.remove(memberId);
        rebalancer.memberGone(g, memberId);
        rebalancer.request(g, "member " + memberId + " " + why);
    }

    private void expireMembers() {
        long now = Monotonic.millis();
        for (ConsumerGroup g : new ArrayList<>(groups.values())) {
            for (Iterator<Member> it = new ArrayList<>(g.members.values()).iterator(); it.hasNext(); ) {
                Member m = it.next();
                if (now - m.lastHeartbeat > m.sessionTimeoutMs) {
                    removeMember(g, m.id, "missed its heartbeats for " + m.sessionTimeoutMs + " ms");
                }
            }
        }
    }

    /**
     * Drops the groups of offsets partitions this node no longer leads (their members find the
     * new coordinator and rejoin there), and rebalances groups whose subscribed topics gained or
     * lost partitions, or were created or deleted.
     */
    /** Forgets offsets partition {@code p}'s groups: their members find the coordinator and rejoin. */
    private void unload(int p, TopicMetadata offsets) {
        loaded.remove(p);
        loadedEpochs.remove(p);
        store.unloaded(p);
        for (ConsumerGroup g : new ArrayList<>(groups.values())) {
            if (offsets == null || OffsetsTopic.partitionFor(g.id, offsets.partitionCount()) == p) {
                g.members.keySet().forEach(id -> rebalancer.memberGone(g, id));
                g.abandoned = true;
                groups.remove(g.id);
            }
        }
    }

    private void onMetadata(ClusterMetadata m) {
        TopicMetadata offsets = m.topic(OffsetsTopic.NAME);
        for (Integer p : new ArrayList<>(loaded.keySet())) {
            if (offsets == null || p >= offsets.partitionCount() || !nodeId.equals(offsets.partition(p).leader())
                    || !Integer.valueOf(offsets.partition(p).leaderEpoch()).equals(loadedEpochs.get(p))) {
                unload(p, offsets);
                LOG.log(System.Logger.Level.INFO, "no longer coordinating the groups of " + OffsetsTopic.NAME + "-" + p
                        + " as loaded (another leader, or another leader epoch)");
            }
        }
        for (ConsumerGroup g : groups.values()) {
            if (g.active() && !ConsumerGroup.partitionCounts(g.subscriptions(m), m).equals(g.lastPartitionCounts)) {
                rebalancer.request(g, "the partitions of its topics changed");
            }
        }
    }

    // ---------------------------------------------------------------- commits

    private Future<JsonObject> commitByMember(ConsumerGroup g, JsonObject req) {
        Member m = g.members.get(req.getString("member_id"));
        if (m == null) {
            throw new SluiceException(ErrorCode.UNKNOWN_MEMBER, "member is not in group '" + g.id + "' (any more)");
        }
        Map<TopicPartition, Long> offsets = GroupAdmin.parseOffsets(req.getJsonArray("offsets"));
        List<String> notOwned = new ArrayList<>();
        for (TopicPartition tp : offsets.keySet()) {
            if (!m.assigned.contains(tp)) {
                notOwned.add(tp.toString());
            }
        }
        if (!notOwned.isEmpty()) {
            throw new SluiceException(ErrorCode.NOT_ASSIGNED, "this member does not own " + String.join(", ", notOwned)
                    + " in generation " + g.generation + "; nothing was committed");
        }
        return write(g, offsets);
    }

    private Future<JsonObject> commitByAdmin(String groupId, JsonArray offsetsJson) {
        Map<TopicPartition, Long> offsets = GroupAdmin.parseOffsets(offsetsJson);
        admin.validatePartitions(offsets.keySet());
        ConsumerGroup g = groups.computeIfAbsent(groupId, ConsumerGroup::new);
        if (g.active()) {
            throw new SluiceException(ErrorCode.GROUP_NOT_EMPTY, "group '" + groupId + "' has " + g.members.size()
                    + " active member(s); commit from a member socket instead");
        }
        return writeAdmin(g, offsets);
    }

    private Future<JsonObject> writeAdmin(ConsumerGroup g, Map<TopicPartition, Long> offsets) {
        if (g.active()) {
            throw new SluiceException(ErrorCode.GROUP_NOT_EMPTY, "group '" + g.id + "' has " + g.members.size()
                    + " active member(s); stop them first");
        }
        return write(g, offsets);
    }

    /** Stores commits one call after another per group, so they land in the order they came. */
    private Future<JsonObject> write(ConsumerGroup g, Map<TopicPartition, Long> offsets) {
        Promise<JsonObject> done = Promise.promise();
        g.commits = g.commits.eventually(() -> store.writeOffsets(g.id, new LinkedHashMap<>(offsets)).onComplete(ar -> {
            if (ar.succeeded()) {
                g.committed.putAll(offsets);
                done.complete(new JsonObject().put("offsets", GroupAdmin.offsetsArray(offsets)));
            } else {
                done.fail(ar.cause());
            }
        }));
        return done.future();
    }

    private Future<JsonObject> delete(ConsumerGroup g) {
        if (g.active()) {
            throw new SluiceException(ErrorCode.GROUP_NOT_EMPTY, "group '" + g.id + "' has " + g.members.size()
                    + " active member(s); it can be deleted once empty");
        }
        Map<TopicPartition, Long> tombstones = new LinkedHashMap<>();
        g.committed.keySet().forEach(tp -> tombstones.put(tp, null));
        Future<Void> offsets = tombstones.isEmpty() ? Future.succeededFuture() : store.writeOffsets(g.id, tombstones);
        return offsets.compose(v -> store.writeGroup(g.id, null)).map(v -> {
            groups.remove(g.id);
            admin.forget(g.id);
            return new JsonObject().put("group_id", g.id).put("deleted", true);
        });
    }

    private JsonObject list() {
        JsonArray out = new JsonArray();
        for (ConsumerGroup g : groups.values()) {
            out.add(new JsonObject().put("group_id", g.id).put("state", ConsumerGroup.stateName(g.active() ? g.state : State.EMPTY))
                    .put("members", g.members.size()).put("coordinator", nodeId));
        }
        return new JsonObject().put("groups", out);
    }

}

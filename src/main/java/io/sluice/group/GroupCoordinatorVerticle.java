package io.sluice.group;

import io.sluice.bus.GroupReply;
import io.sluice.bus.GroupReply.Done;
import io.sluice.bus.GroupReply.GroupDeleted;
import io.sluice.bus.GroupReply.GroupDescription;
import io.sluice.bus.GroupReply.GroupListing;
import io.sluice.bus.GroupReply.GroupOffsets;
import io.sluice.bus.GroupReply.HeartbeatAck;
import io.sluice.bus.GroupReply.Joined;
import io.sluice.bus.GroupReply.ListedGroup;
import io.sluice.bus.GroupReply.OffsetsCommitted;
import io.sluice.bus.GroupRequest;
import io.sluice.bus.GroupRequest.DeleteGroup;
import io.sluice.bus.GroupRequest.DescribeGroup;
import io.sluice.bus.GroupRequest.Heartbeat;
import io.sluice.bus.GroupRequest.JoinGroup;
import io.sluice.bus.GroupRequest.LeaveGroup;
import io.sluice.bus.GroupRequest.ListGroups;
import io.sluice.bus.GroupRequest.OffsetCommit;
import io.sluice.bus.GroupRequest.OffsetFetch;
import io.sluice.bus.GroupRequest.ResetOffsets;
import io.sluice.common.Clock;
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
 * leave through its bus address, and operators describe, reset and delete groups there, each with
 * a {@link GroupRequest} (anything else is refused with a 400); it assigns partitions
 * ({@link Rebalancer}), expires members that stop heartbeating, rebalances when topics or
 * partitions change, and keeps committed offsets in the offsets topic ({@link OffsetsStore}),
 * replaying a partition when it takes it over.
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
    /** The node's: members' heartbeats and sessions on its monotonic time, stored records stamped with its wall time. */
    private final Clock clock;
    private final Map<String, ConsumerGroup> groups = new HashMap<>();
    /** Offsets partitions replayed (or being replayed) here. */
    private final Map<Integer, Future<Void>> loaded = new HashMap<>();
    /**
     * The leader epoch of each loaded offsets partition at its loading: a partition led here again in
     * a later epoch is loaded again, since another coordinator may have stored commits in between
     * (this node can miss the metadata versions in which it did not lead).
     */
    private final Map<Integer, Integer> loadedEpochs = new HashMap<>();
    private final Dispatch dispatch = new Dispatch();
    private Rebalancer rebalancer;
    private final io.sluice.security.AccessControl access;
    private MessageConsumer<Object> consumer;
    private long expiryTimer;
    private long lagTimer;

    public GroupCoordinatorVerticle(String nodeId, MetadataCache metadata, OffsetsStore store, GroupAdmin admin,
                                    long lagRefreshMs, BrokerLease lease, Clock clock) {
        this(nodeId, metadata, store, admin, lagRefreshMs, lease, io.sluice.security.AccessControl.DISABLED, clock);
    }

    /** {@code access}: members are assigned only partitions of topics their principal may READ. */
    public GroupCoordinatorVerticle(String nodeId, MetadataCache metadata, OffsetsStore store, GroupAdmin admin,
                                    long lagRefreshMs, BrokerLease lease, io.sluice.security.AccessControl access,
                                    Clock clock) {
        this.access = access;
        this.nodeId = nodeId;
        this.clock = clock;
        this.lease = lease;
        this.lagRefreshMs = lagRefreshMs;
        this.metadata = metadata;
        this.store = store;
        this.admin = admin;
    }

    public static String address(String nodeId) {
        return "sluice.group.coordinator." + nodeId;
    }

    @Override
    public Future<?> start() {
        rebalancer = new Rebalancer(vertx, metadata, store, access, clock);
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

    private void onMessage(Message<Object> msg) {
        if (!(msg.body() instanceof GroupRequest<?> request)) {
            Object body = msg.body();
            msg.fail(ErrorCode.BAD_REQUEST.code(), "the group coordinator on node " + nodeId + " takes no "
                    + (body == null ? "empty message" : body.getClass().getSimpleName()));
            return;
        }
        Future<? extends GroupReply> result;
        try {
            result = request.accept(dispatch);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onSuccess(msg::reply).onFailure(e -> {
            SluiceException se = Failures.toSluice(e);
            if (se.code() == ErrorCode.INTERNAL) {
                LOG.log(System.Logger.Level.WARNING, "group request " + request.getClass().getSimpleName() + " failed", e);
            }
            msg.fail(se.code().code(), se.getMessage());
        });
    }

    /**
     * Each request to its handling; every one but {@link ListGroups} once this node is found to
     * coordinate the request's group ({@link #withGroup}).
     */
    private final class Dispatch implements GroupRequest.Handler {
        @Override
        public Future<Joined> joinGroup(JoinGroup r) {
            return withGroup(r).compose(loaded -> join(r));
        }

        @Override
        public Future<HeartbeatAck> heartbeat(Heartbeat r) {
            return withGroup(r).compose(loaded -> beat(existing(r.group()), r.memberId()));
        }

        @Override
        public Future<OffsetsCommitted> offsetCommit(OffsetCommit r) {
            return withGroup(r).compose(loaded -> r.memberId() == null ? commitByAdmin(r.group(), r.offsets())
                    : commitByMember(existing(r.group()), r));
        }

        @Override
        public Future<Done> leaveGroup(LeaveGroup r) {
            return withGroup(r).compose(loaded -> leave(existing(r.group()), r.memberId()));
        }

        @Override
        public Future<GroupDescription> describeGroup(DescribeGroup r) {
            return withGroup(r).compose(loaded -> admin.describe(known(r.group())));
        }

        @Override
        public Future<GroupOffsets> offsetFetch(OffsetFetch r) {
            return withGroup(r).map(loaded -> {
                ConsumerGroup g = known(r.group());
                return new GroupOffsets(g.id, g.committed);
            });
        }

        @Override
        public Future<GroupDeleted> deleteGroup(DeleteGroup r) {
            return withGroup(r).compose(loaded -> delete(known(r.group())));
        }

        @Override
        public Future<OffsetsCommitted> resetOffsets(ResetOffsets r) {
            return withGroup(r).compose(loaded -> admin.reset(known(r.group()), r)
                    .compose(offsets -> writeAdmin(known(r.group()), offsets)));
        }

        @Override
        public Future<GroupListing> listGroups(ListGroups r) {
            return Future.succeededFuture(list());
        }
    }

    /**
     * Checks this node coordinates the request's group (in the epoch the request names, if any)
     * and has replayed its offsets partition.
     */
    private Future<Void> withGroup(GroupRequest.ForGroup<?> request) {
        String groupId = request.group();
        if (groupId == null || groupId.isEmpty()) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "group id is required");
        }
        int askedEpoch = request.coordinatorEpoch();
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
        long now = clock.monotonicMillis();
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
                g.restoreMembers(value.getJsonArray("members"), clock.monotonicMillis());
            }
        }
    };

    private void dropIfGone(ConsumerGroup g) {
        if (!g.active() && g.committed.isEmpty() && !g.persisted) {
            groups.remove(g.id);
        }
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

    private Future<Joined> join(JoinGroup req) {
        String groupId = req.group();
        ConsumerGroup g = groups.computeIfAbsent(groupId, ConsumerGroup::new);
        String assignor = req.assignor();
        if (g.active() && !g.assignor.equals(assignor)) {
            throw new SluiceException(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, "group '" + groupId + "' uses the "
                    + g.assignor + " assignor, this member asked for " + assignor);
        }
        if (!g.active()) {
            g.assignor = assignor;
        }
        String memberId = groupId + "-" + UUID.randomUUID();
        // (The principal was authenticated by the node the socket is on; it only narrows what is assigned.)
        io.sluice.security.Session session = req.principal() == null ? null : new io.sluice.security.Session(
                io.sluice.security.Principal.parse(req.principal()), req.host() == null ? "" : req.host());
        Member m = new Member(memberId, req.memberAddress(), req.node(), req.client(), Subscription.of(req.topics()),
                req.sessionTimeoutMs(), clock.monotonicMillis(), session);
        g.members.put(memberId, m);
        Future<Void> created = Future.succeededFuture();
        if (!g.persisted) {
            g.persisted = true;
            created = store.writeGroup(groupId, g.record(clock.wallMillis()));
        }
        return created.map(v -> {
            rebalancer.request(g, "member " + memberId + " joined from node " + m.node);
            return new Joined(memberId);
        });
    }

    private Future<HeartbeatAck> beat(ConsumerGroup g, String memberId) {
        Member m = g.members.get(memberId);
        if (m == null) {
            throw new SluiceException(ErrorCode.UNKNOWN_MEMBER, "member " + memberId + " is not in group '" + g.id + "'");
        }
        m.lastHeartbeat = clock.monotonicMillis();
        return Future.succeededFuture(new HeartbeatAck(g.generation));
    }

    private Future<Done> leave(ConsumerGroup g, String memberId) {
        if (g.members.containsKey(memberId)) {
            removeMember(g, memberId, "left");
        }
        return Future.succeededFuture(new Done());
    }

    private void removeMember(ConsumerGroup g, String memberId, String why) {
        g.members.remove(memberId);
        rebalancer.memberGone(g, memberId);
        rebalancer.request(g, "member " + memberId + " " + why);
    }

    private void expireMembers() {
        long now = clock.monotonicMillis();
        for (ConsumerGroup g : new ArrayList<>(groups.values())) {
            for (Iterator<Member> it = new ArrayList<>(g.members.values()).iterator(); it.hasNext(); ) {
                Member m = it.next();
                if (now - m.lastHeartbeat > m.sessionTimeoutMs) {
                    removeMember(g, m.id, "missed its heartbeats for " + m.sessionTimeoutMs + " ms");
                }
            }
        }
    }

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

    /**
     * Drops the groups of offsets partitions this node no longer leads (their members find the
     * new coordinator and rejoin there), and rebalances groups whose subscribed topics gained or
     * lost partitions, or were created or deleted.
     */
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
            if (g.active() && !ConsumerGroup.partitionCounts(g.subscriptions(m, access), m).equals(g.lastPartitionCounts)) {
                rebalancer.request(g, "the partitions of its topics changed");
            }
        }
    }

    // ---------------------------------------------------------------- commits

    private Future<OffsetsCommitted> commitByMember(ConsumerGroup g, OffsetCommit req) {
        Member m = g.members.get(req.memberId());
        if (m == null) {
            throw new SluiceException(ErrorCode.UNKNOWN_MEMBER, "member is not in group '" + g.id + "' (any more)");
        }
        Map<TopicPartition, Long> offsets = req.offsets();
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

    private Future<OffsetsCommitted> commitByAdmin(String groupId, Map<TopicPartition, Long> offsets) {
        admin.validatePartitions(offsets.keySet());
        ConsumerGroup g = groups.computeIfAbsent(groupId, ConsumerGroup::new);
        if (g.active()) {
            throw new SluiceException(ErrorCode.GROUP_NOT_EMPTY, "group '" + groupId + "' has " + g.members.size()
                    + " active member(s); commit from a member socket instead");
        }
        return writeAdmin(g, offsets);
    }

    private Future<OffsetsCommitted> writeAdmin(ConsumerGroup g, Map<TopicPartition, Long> offsets) {
        if (g.active()) {
            throw new SluiceException(ErrorCode.GROUP_NOT_EMPTY, "group '" + g.id + "' has " + g.members.size()
                    + " active member(s); stop them first");
        }
        return write(g, offsets);
    }

    /** Stores commits one call after another per group, so they land in the order they came. */
    private Future<OffsetsCommitted> write(ConsumerGroup g, Map<TopicPartition, Long> offsets) {
        Promise<OffsetsCommitted> done = Promise.promise();
        g.commits = g.commits.eventually(() -> store.writeOffsets(g.id, new LinkedHashMap<>(offsets)).onComplete(ar -> {
            if (ar.succeeded()) {
                g.committed.putAll(offsets);
                done.complete(new OffsetsCommitted(offsets));
            } else {
                done.fail(ar.cause());
            }
        }));
        return done.future();
    }

    private Future<GroupDeleted> delete(ConsumerGroup g) {
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
            return new GroupDeleted(g.id);
        });
    }

    private GroupListing list() {
        List<ListedGroup> out = new ArrayList<>();
        for (ConsumerGroup g : groups.values()) {
            out.add(new ListedGroup(g.id, ConsumerGroup.stateName(g.active() ? g.state : State.EMPTY), g.members.size(), nodeId));
        }
        return new GroupListing(out);
    }

}

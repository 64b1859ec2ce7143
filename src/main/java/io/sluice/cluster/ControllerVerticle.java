package io.sluice.cluster;

import io.sluice.bus.ControllerCommand;
import io.sluice.bus.ControllerCommand.AlterPartition;
import io.sluice.bus.ControllerCommand.ControlledShutdown;
import io.sluice.bus.ControllerCommand.CreatePartitions;
import io.sluice.bus.ControllerCommand.CreateTopics;
import io.sluice.bus.ControllerCommand.DeleteTopics;
import io.sluice.bus.ControllerCommand.EnsureOffsetsTopic;
import io.sluice.bus.ControllerCommand.GetMetadata;
import io.sluice.bus.ControllerCommand.IncrementalAlterConfigs;
import io.sluice.bus.ControllerCommand.Rebalance;
import io.sluice.bus.ControllerCommand.SetVoters;
import io.sluice.bus.ControllerReply;
import io.sluice.common.Clock;
import io.sluice.common.Confinement;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.config.BrokerSettings;
import io.sluice.config.ConfigException;
import io.sluice.config.TopicConfig;
import io.sluice.quorum.MetadataDelta;
import io.sluice.quorum.MetadataQuorum;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The controller: the one place where cluster metadata changes. It runs on the voter that leads
 * the controller quorum ({@link ControllerElection}), starts from the metadata the quorum has
 * committed, and opens a new controller epoch with its first commit.
 *
 * <p>It handles admin commands (topics, configs, partitions, rebalance), leaders' ISR changes,
 * controlled shutdowns, and membership changes (leader election, ISR clean-up, replicas for new
 * nodes), one at a time, in arrival order. Each change is a new metadata version, committed by a
 * majority of the voters ({@link MetadataQuorum#propose}) before anything acts on it: then applied
 * here, published to every node on {@value MetadataSync#ADDRESS}, and written to this node's
 * {@link MetadataStore} behind ({@link BackgroundMetadataSaver}).
 * A controller cut off from the majority commits nothing, so it decides nothing. The rules
 * themselves live in {@link ReplicaDecisions}.
 *
 * <p>Commands arrive as {@link ControllerCommand} records and are dispatched by their type; each
 * decision is a function from the current metadata to a {@link ControllerResult} (the metadata to
 * commit and the reply), as in Kafka's controller; this loop only queues, commits and publishes.
 *
 * <p>Its state, and its {@link BrokerSessions}', is confined to its context's event loop
 * ({@link Confinement}): checked where commands, membership changes, timers and the quorum's
 * answers come in.
 */
public final class ControllerVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(ControllerVerticle.class.getName());

    private final String nodeId;
    private final MetadataStore store;
    private final MetadataCache cache;
    private final BrokerSettings broker;
    private final ClusterMembership membership;
    private final MetadataQuorum quorum;
    private final ControllerLocator locator;
    private final TopicCommands topicCommands;
    /** Its monotonic time runs the broker sessions. */
    private final Clock clock;
    private final Dispatch dispatch = new Dispatch();
    private ClusterMetadata metadata;
    private MessageConsumer<Object> consumer;
    private Future<?> queue = Future.succeededFuture();
    /** Topic commands waiting to be decided together (see {@link #commitTopicBatch}). */
    private final List<Waiting> topicBatch = new ArrayList<>();
    private Set<String> knownLive = Set.of();
    /**
     * Nodes that asked for a controlled shutdown and have not left yet: their followers may
     * still fetch for a moment, but they must not rejoin an ISR (and so win back a preferred
     * leadership) on their way out. Cleared when they leave, or when they start again and ask
     * for the metadata.
     */
    private final Set<String> shuttingDown = new HashSet<>();
    private volatile boolean stopped;
    private long beaconTimer = -1;
    /** Whether this controller's epoch is committed: it decides nothing before. */
    private boolean opened;
    private BrokerSessions sessions;
    private BackgroundMetadataSaver saver;
    /** {@link #replicaNodes()} and the metadata it was worked out from. */
    private Set<String> replicaNodes = Set.of();
    private ClusterMetadata replicaNodesOf;
    /** The event loop all of the above belongs to (set at start, on this verticle's context). */
    private Confinement confinement;

    public ControllerVerticle(String nodeId, MetadataStore store, MetadataCache cache, BrokerSettings broker,
                              ClusterMembership membership, MetadataQuorum quorum, ControllerLocator locator, Clock clock) {
        this.nodeId = nodeId;
        this.clock = clock;
        this.quorum = quorum;
        this.locator = locator;
        this.topicCommands = new TopicCommands(broker);
        this.store = store;
        this.cache = cache;
        this.broker = broker;
        this.membership = membership;
    }

    @Override
    public Future<?> start() {
        confinement = Confinement.toCurrentEventLoop("ControllerVerticle on " + nodeId);
        saver = new BackgroundMetadataSaver(vertx, store);
        sessions = new BrokerSessions(vertx, context, confinement, quorum, broker.getLong("broker.heartbeat.interval.ms"),
                broker.getLong("broker.session.timeout.ms"), clock, () -> metadata, new BrokerSessions.Events() {
                    @Override
                    public void liveChanged() {
                        enqueueMembership();
                    }

                    @Override
                    public void uncleanStart(String node, long incarnation) {
                        queue = queue.eventually(() -> fenceUncleanStart(node, incarnation));
                    }
                });
        // Local addresses behind this node's NodeEndpoint: registering them writes nothing to
        // Hazelcast, so a controller elected while a member is frozen hears its brokers at once.
        Future<Void> heartbeats = sessions.start(NodeEndpoint.localHeartbeatAddress(nodeId), this::knownNodes);
        consumer = vertx.eventBus().localConsumer(NodeEndpoint.localCommandAddress(nodeId), this::enqueue);
        membership.onChange(() -> {
            if (!stopped) {
                context.runOnContext(v -> {
                    confinement.check();
                    enqueueMembership();
                });
            }
        });
        queue = openEpoch(20).compose(v -> onMembership());
        return Future.all(consumer.completion(), heartbeats).onSuccess(v -> {
            // Publications are not guaranteed to reach every node (a node that has just joined may
            // not be among the subscribers this node knows yet): the beacon lets any node find out
            // that it is behind and pull what it missed.
            beaconTimer = vertx.setPeriodic(broker.getLong("sluice.metadata.beacon.ms"), id -> beacon());
        });
    }

    private void beacon() {
        confinement.check();
        if (!stopped && metadata != null && quorum.isReadyLeader()) {
            MetadataSync.beacon(vertx, nodeId, metadata);
        }
    }

    @Override
    public Future<?> stop() {
        confinement.check();
        stopped = true;
        if (beaconTimer >= 0) {
            vertx.cancelTimer(beaconTimer);
        }
        return Future.join(consumer.unregister(), sessions.stop(), saver.flushed());
    }

    /**
     * Takes the metadata the quorum committed and opens a new controller epoch above it: whatever a
     * deposed controller still publishes loses to it. A quorum that has never committed anything
     * starts from this node's stored metadata (a node that ran before the quorum existed).
     */
    private Future<Void> openEpoch(int attempts) {
        return openEpoch().recover(e -> {
            LOG.log(System.Logger.Level.DEBUG, "controller " + nodeId + " could not open its epoch yet: " + e.getMessage());
            if (stopped || attempts <= 1 || !quorum.isReadyLeader()) {
                LOG.log(System.Logger.Level.WARNING, "controller " + nodeId + " could not open its epoch: " + e.getMessage());
                return Future.failedFuture(e);
            }
            io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
            vertx.setTimer(250, id -> {
                confinement.check();
                openEpoch(attempts - 1).onComplete(later);
            });
            return later.future();
        });
    }

    private Future<Void> openEpoch() {
        confinement.check();
        ClusterMetadata committed = quorum.state();
        ClusterMetadata local = cache.current();
        ClusterMetadata base = committed.version() == 0 && local.version() > 0 ? local : committed;
        metadata = committed;
        ClusterMetadata opened = new ClusterMetadata(Math.max(base.controllerEpoch(), committed.controllerEpoch()) + 1,
                Math.max(base.version(), committed.version()) + 1, base.topics(), base.users(), base.acls());
        return commit(opened).onSuccess(v -> {
            confinement.check();
            this.opened = true;
            sessions.grant();
            locator.observe(nodeId, opened.controllerEpoch());
            LOG.log(System.Logger.Level.INFO, "controller " + nodeId + " opened epoch " + opened.controllerEpoch()
                    + " at metadata version " + opened.version());
        });
    }

    private void enqueue(Message<Object> msg) {
        confinement.check();
        if (!(msg.body() instanceof ControllerCommand command)) {
            // Only this node's door sends here, and it lets only commands through: refused all the same.
            Object body = msg.body();
            msg.fail(ErrorCode.BAD_REQUEST.code(), "unknown controller command "
                    + (body == null ? "(empty)" : body.getClass().getSimpleName()));
            return;
        }
        if (TopicCommands.isTopicCommand(command)) {
            // Topic commands that arrive while the controller is busy wait together and commit as one.
            // (Added before the drain is queued: on an idle queue it runs at once.)
            topicBatch.add(new Waiting(command, msg));
            if (topicBatch.size() == 1) {
                queue = queue.eventually(this::commitTopicBatch);
            }
            return;
        }
        queue = queue.eventually(() -> handle(command).onComplete(ar -> reply(msg, ar.result(), ar.cause())));
    }

    /** A topic command waiting for {@link #commitTopicBatch}, with the message to answer. */
    private record Waiting(ControllerCommand command, Message<Object> msg) {
    }

    /** Decides every waiting topic command and commits them as one metadata version. */
    private Future<Void> commitTopicBatch() {
        confinement.check();
        List<Waiting> batch = new ArrayList<>(topicBatch);
        topicBatch.clear();
        Future<Void> done;
        TopicCommands.Batch decided = null;
        SluiceException notDeciding = notDeciding();
        if (notDeciding != null) {
            done = Future.failedFuture(notDeciding);
        } else {
            decided = topicCommands.decideAll(metadata, placeable(), batch.stream().map(Waiting::command).toList());
            done = decided.next() == null ? Future.succeededFuture() : commit(decided.next());
        }
        TopicCommands.Batch outcome = decided;
        return done.transform(ar -> {
            confinement.check();
            for (int i = 0; i < batch.size(); i++) {
                Message<Object> msg = batch.get(i).msg();
                if (ar.failed()) {
                    reply(msg, null, ar.cause());
                } else {
                    TopicCommands.Outcome o = outcome.outcomes().get(i);
                    reply(msg, o.reply(), o.error());
                }
            }
            return Future.succeededFuture();
        });
    }

    private static void reply(Message<Object> msg, ControllerReply reply, Throwable error) {
        if (error == null) {
            msg.reply(reply);
            return;
        }
        SluiceException se = error instanceof SluiceException s ? s : new SluiceException(ErrorCode.INTERNAL, String.valueOf(error.getMessage()));
        msg.fail(se.code().code(), se.getMessage());
    }

    private void enqueueMembership() {
        queue = queue.eventually(this::onMembership);
    }

    private Future<ControllerReply> handle(ControllerCommand cmd) {
        confinement.check();
        SluiceException notDeciding = notDeciding();
        return notDeciding != null ? Future.failedFuture(notDeciding) : cmd.accept(dispatch);
    }

    /** Why this controller decides nothing now, or null when it may decide. */
    private SluiceException notDeciding() {
        if (!opened) {
            return new SluiceException(ErrorCode.UNAVAILABLE, "the controller on " + nodeId + " is starting");
        }
        if (!sessions.confirmedLately()) {
            // Cut off from the majority (or about to find out): it decides nothing, not even a refusal.
            return new SluiceException(ErrorCode.UNAVAILABLE, "the controller on " + nodeId
                    + " has not been confirmed by a majority of the voters lately");
        }
        return null;
    }

    /** Each command type to its decision: a function from the metadata to a {@link ControllerResult}. */
    private final class Dispatch implements ControllerCommand.Handler<Future<ControllerReply>> {
        @Override
        public Future<ControllerReply> createTopics(CreateTopics c) {
            return apply(() -> topicCommands.decide(metadata, placeable(), c));
        }

        @Override
        public Future<ControllerReply> ensureOffsetsTopic(EnsureOffsetsTopic c) {
            return apply(() -> topicCommands.decide(metadata, placeable(), c));
        }

        @Override
        public Future<ControllerReply> ensureSchemasTopic(ControllerCommand.EnsureSchemasTopic c) {
            return apply(() -> topicCommands.decide(metadata, placeable(), c));
        }

        @Override
        public Future<ControllerReply> deleteTopics(DeleteTopics c) {
            return apply(() -> topicCommands.decide(metadata, placeable(), c));
        }

        @Override
        public Future<ControllerReply> createPartitions(CreatePartitions c) {
            return apply(() -> topicCommands.decide(metadata, placeable(), c));
        }

        @Override
        public Future<ControllerReply> incrementalAlterConfigs(IncrementalAlterConfigs c) {
            return apply(() -> topicCommands.decide(metadata, placeable(), c));
        }

        @Override
        public Future<ControllerReply> alterPartition(AlterPartition c) {
            return apply(() -> ControllerResult.committing(ControllerVerticle.this.alterPartition(c)));
        }

        @Override
        public Future<ControllerReply> controlledShutdown(ControlledShutdown c) {
            return apply(() -> ControllerResult.committing(ControllerVerticle.this.controlledShutdown(c.nodeId())));
        }

        @Override
        public Future<ControllerReply> rebalance(Rebalance c) {
            return apply(ControllerVerticle.this::rebalanceNow);
        }

        @Override
        public Future<ControllerReply> getMetadata(GetMetadata c) {
            return apply(() -> ControllerVerticle.this.getMetadata(c.startingNode()));
        }

        @Override
        public Future<ControllerReply> alterUserScramCredentials(ControllerCommand.AlterUserScramCredentials c) {
            return apply(() -> SecurityCommands.alterUser(metadata, c));
        }

        @Override
        public Future<ControllerReply> deleteUser(ControllerCommand.DeleteUser c) {
            return apply(() -> SecurityCommands.deleteUser(metadata, c));
        }

        @Override
        public Future<ControllerReply> createAcls(ControllerCommand.CreateAcls c) {
            return apply(() -> SecurityCommands.createAcls(metadata, c));
        }

        @Override
        public Future<ControllerReply> deleteAcls(ControllerCommand.DeleteAcls c) {
            return apply(() -> SecurityCommands.deleteAcls(metadata, c));
        }

        @Override
        public Future<ControllerReply> setVoters(SetVoters c) {
            // Not a metadata version: Raft commits the voters in its own log.
            return ControllerVerticle.this.setVoters(c.voters());
        }
    }

    /**
     * Runs one command's decision against the current metadata and commits what it decided: the
     * reply goes out only once a majority of the voters holds the change.
     */
    private Future<ControllerReply> apply(java.util.function.Supplier<ControllerResult> decision) {
        ControllerResult result;
        try {
            result = decision.get();
        } catch (ConfigException e) {
            return Future.failedFuture(new SluiceException(ErrorCode.INVALID_CONFIG, e.getMessage()));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        if (result.next() == null) {
            return Future.succeededFuture(result.reply());
        }
        return commit(result.next()).map(result.reply());
    }

    /** The metadata as it is; a node that starts is no longer shutting down. */
    private ControllerResult getMetadata(String startingNode) {
        if (startingNode != null) {
            shuttingDown.remove(startingNode);
        }
        return ControllerResult.unchanged(new ControllerReply.MetadataImage(metadata.version(), MetadataStore.toJson(metadata)));
    }

    /** An explicit rebalance, which also moves replicas off nodes that are gone; nothing to commit when nothing moves. */
    private ControllerResult rebalanceNow() {
        ClusterMetadata next = rebalance(true);
        return next == null ? ControllerResult.unchanged(new ControllerReply.Committed(metadata.version()))
                : ControllerResult.committing(next);
    }

    /**
     * Commits through the quorum, then persists and publishes: a node never acts on metadata that a
     * majority of the voters does not hold.
     */
    private Future<Void> commit(ClusterMetadata next) {
        confinement.check();
        if (stopped || !quorum.isReadyLeader()) {
            return Future.failedFuture(new SluiceException(ErrorCode.UNAVAILABLE, "node " + nodeId + " is no longer the controller"));
        }
        ClusterMetadata committed = quorum.state();
        if (committed.version() != metadata.version()) {
            // An earlier proposal whose answer timed out was committed after all: decide again on what is.
            metadata = committed;
            return Future.failedFuture(new SluiceException(ErrorCode.UNAVAILABLE,
                    "the controller's metadata moved on to version " + committed.version() + "; try again"));
        }
        MetadataDelta delta = MetadataDelta.between(metadata, next);
        return Future.fromCompletionStage(quorum.propose(delta), context).recover(e -> {
                    confinement.check();
                    metadata = quorum.state();
                    // Not "unavailable": the entry may be in this voter's log already, and a later
                    // leader commits what it finds there (Raft). As Kafka's CreateTopics after its
                    // timeout: the change may still take effect, so the answer says it is unknown.
                    return Future.failedFuture(new SluiceException(ErrorCode.REQUEST_TIMED_OUT,
                            "the controller quorum did not confirm the change in time, so it may or may not take effect: "
                                    + e.getMessage()));
                })
                .compose(applied -> {
                    confinement.check();
                    if (!applied) {
                        metadata = quorum.state();
                        return Future.failedFuture(new SluiceException(ErrorCode.UNAVAILABLE,
                                "metadata version " + metadata.version() + " was superseded by another controller"));
                    }
                    metadata = next;
                    // Durable in the quorum's log already: the node's own copy is written behind.
                    saver.save(next);
                    // Applied here first: this node's MetadataSync then skips the version it already has.
                    cache.apply(next);
                    MetadataSync.publishDelta(vertx, nodeId, delta);
                    return Future.succeededFuture();
                });
    }

    /**
     * Changes the quorum's voters (README, "Changing the voters"). Not a metadata version: Raft
     * commits the configuration in its own log.
     */
    private Future<ControllerReply> setVoters(String spec) {
        List<io.sluice.quorum.Voter> voters;
        try {
            voters = io.sluice.quorum.Voter.parseAll(io.sluice.config.ConfigLoader.voters(spec));
        } catch (ConfigException e) {
            return Future.failedFuture(new SluiceException(ErrorCode.BAD_REQUEST, e.getMessage()));
        }
        return Future.fromCompletionStage(quorum.setVoters(voters, 30_000), context)
                .recover(e -> Future.failedFuture(new SluiceException(ErrorCode.UNAVAILABLE,
                        "the new voters were not committed: " + e.getMessage())))
                .map(v -> {
                    LOG.log(System.Logger.Level.INFO, "the controller quorum's voters are now " + voters);
                    return new ControllerReply.VotersChanged(voters.stream().map(io.sluice.quorum.Voter::toString).toList());
                });
    }

    // ---------------------------------------------------------------- broker sessions

    /** Brokers whose sessions run, among every node the controller knows of. */
    private Set<String> liveBrokers() {
        return sessions.live();
    }

    /** Every node the controller knows of: cluster members and every replica. */
    private Set<String> knownNodes() {
        Set<String> known = new HashSet<>(membership.ids());
        known.addAll(replicaNodes());
        return known;
    }

    /**
     * Every node named as a replica in the current metadata, worked out once per version: the
     * broker sessions ask several times a second, and with 10,000 partitions walking them all
     * was most of an idle node's CPU.
     */
    private Set<String> replicaNodes() {
        if (replicaNodesOf != metadata) {
            Set<String> nodes = new HashSet<>();
            for (TopicMetadata t : metadata.topics().values()) {
                for (PartitionAssignment pa : t.partitions()) {
                    nodes.addAll(pa.replicas());
                }
            }
            replicaNodes = nodes;
            replicaNodesOf = metadata;
        }
        return replicaNodes;
    }

    /** Where new replicas may go: live brokers that are members of the cluster now, sorted. */
    private List<String> placeable() {
        Set<String> live = liveBrokers();
        return membership.ids().stream().filter(live::contains).sorted().toList();
    }

    /**
     * A broker started after an unclean shutdown (Kafka's KIP-966 and KIP-903 problem): whatever it
     * acknowledged and had not fsynced may be gone. It leaves every ISR that has another member and
     * every leadership it held, before it gets a lease; it rejoins an ISR only by catching up with a
     * leader like any follower. Where it was the only in-sync replica, it stays so: no replica holds
     * more, and it leads again once it holds a lease.
     */
    private Future<Void> fenceUncleanStart(String node, long incarnation) {
        confinement.check();
        Set<String> others = liveBrokers();
        others.remove(node);
        ClusterMetadata fenced = withEachPartition((pa, unclean) ->
                pa.isr().contains(node) || node.equals(pa.leader()) ? ReplicaDecisions.onLiveNodes(pa, others, unclean) : pa);
        boolean changed = fenced != metadata;
        Future<Void> done = changed ? commit(fenced) : Future.succeededFuture();
        return done.compose(v -> {
            confinement.check();
            // (Where it was the only in-sync replica it leads again now, as the first of them back.)
            sessions.uncleanHandled(node, incarnation, true);
            return onMembership();
        }).onComplete(ar -> {
            confinement.check();
            if (ar.failed()) {
                sessions.uncleanHandled(node, incarnation, false);
            } else {
                LOG.log(System.Logger.Level.INFO, "node " + node + " started without a clean stop before it (a crash, a power loss or a new disk): it left the ISRs it shared");
            }
        });
    }

    // ---------------------------------------------------------------- membership

    /**
     * Nodes came or went: re-elect lost leaders, clean ISRs, give new nodes replicas; and
     * republish, so that a node that just joined (or woke up) has the current metadata.
     */
    private Future<Void> onMembership() {
        confinement.check();
        Set<String> live = liveBrokers();
        shuttingDown.retainAll(live);
        Set<String> joined = new HashSet<>(live);
        joined.removeAll(knownLive);
        knownLive = live;
        return reconcileMembership(live, joined);
    }

    private Future<Void> reconcileMembership(Set<String> live, Set<String> joined) {
        ClusterMetadata next = withEachPartition((pa, unclean) -> ReplicaDecisions.onLiveNodes(pa, live, unclean));
        boolean changed = next != metadata;
        if (!joined.isEmpty() && holdsNoReplica(next, joined)) {
            metadata = next;
            ClusterMetadata rebalanced = rebalance(false);
            if (rebalanced != null) {
                next = rebalanced;
                changed = true;
            }
        }
        if (changed) {
            return commit(next);
        }
        if (!joined.isEmpty()) {
            MetadataSync.publish(vertx, nodeId, metadata);
        }
        return Future.succeededFuture();
    }

    /** What a rule decides for one partition, knowing whether its topic allows unclean elections. */
    @FunctionalInterface
    private interface PartitionRule {
        PartitionAssignment apply(PartitionAssignment pa, boolean uncleanElection);
    }

    /** The metadata with {@code rule} applied to every partition: the current metadata itself when nothing changes. */
    private ClusterMetadata withEachPartition(PartitionRule rule) {
        Map<String, TopicMetadata> topics = new TreeMap<>();
        boolean changed = false;
        for (TopicMetadata t : metadata.topics().values()) {
            boolean unclean = TopicConfig.of(t.configs()).uncleanLeaderElection(broker);
            List<PartitionAssignment> parts = new ArrayList<>();
            for (PartitionAssignment pa : t.partitions()) {
                PartitionAssignment next = rule.apply(pa, unclean);
                changed |= !next.equals(pa);
                parts.add(next);
            }
            topics.put(t.name(), t.withPartitions(parts));
        }
        return changed ? metadata.withTopics(topics) : metadata;
    }

    private static boolean holdsNoReplica(ClusterMetadata m, Set<String> nodes) {
        for (String node : nodes) {
            boolean holds = false;
            for (TopicMetadata t : m.topics().values()) {
                for (PartitionAssignment pa : t.partitions()) {
                    holds |= pa.replicas().contains(node);
                }
            }
            if (!holds) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reassigns replicas for an even spread over the live nodes (new replicas catch up before
     * old ones leave). Explicit rebalances also move replicas off nodes that are gone.
     *
     * @return the new metadata, or null when nothing moves
     */
    private ClusterMetadata rebalance(boolean evacuate) {
        List<String> live = placeable();
        Map<String, TopicMetadata> topics = new TreeMap<>();
        boolean changed = false;
        for (TopicMetadata t : metadata.topics().values()) {
            int rf = t.partitions().isEmpty() ? 0 : t.partition(0).targetReplicas().size();
            if (rf > live.size()) {
                topics.put(t.name(), t);
                continue;
            }
            List<List<String>> targets = ReplicaDecisions.balance(t.partitions(), live, evacuate);
            List<PartitionAssignment> parts = new ArrayList<>();
            for (int i = 0; i < t.partitionCount(); i++) {
                PartitionAssignment pa = t.partition(i);
                List<String> target = targets.get(i);
                PartitionAssignment next = pa;
                if (!pa.reassigning() && !target.equals(pa.replicas())) {
                    next = new HashSet<>(target).equals(new HashSet<>(pa.replicas()))
                            ? reorder(pa, target) : ReplicaDecisions.progress(pa.reassigning(target));
                }
                changed |= !next.equals(pa);
                parts.add(next);
            }
            topics.put(t.name(), t.withPartitions(parts));
        }
        return changed ? metadata.withTopics(topics) : null;
    }

    /** Same replicas, another preferred leader: takes effect once that replica is in sync. */
    private static PartitionAssignment reorder(PartitionAssignment pa, List<String> order) {
        return ReplicaDecisions.progress(new PartitionAssignment(pa.partition(), order, pa.leader(), pa.leaderEpoch(), pa.isr()));
    }

    private ClusterMetadata alterPartition(AlterPartition cmd) {
        TopicMetadata t = TopicCommands.existing(metadata, cmd.partition().topic());
        int p = cmd.partition().partition();
        List<String> isr = cmd.isr();
        for (String r : isr) {
            if (t.partition(p).isr().contains(r)) {
                continue;
            }
            // Heard from by this controller, not merely live: a controller that took over in the
            // middle of a node's controlled shutdown does not know of that shutdown, and counts the
            // node live for a grace period; had it let that node rejoin an ISR, the node would win
            // back its preferred leadership just as it leaves.
            if (!sessions.heardFrom(r)) {
                throw new SluiceException(ErrorCode.NOT_LEADER, "node " + r + " has no session with controller " + nodeId
                        + "; it cannot join the ISR of " + t.name() + "-" + p);
            }
            if (shuttingDown.contains(r)) {
                throw new SluiceException(ErrorCode.NOT_LEADER, "node " + r + " is shutting down; it cannot join the ISR of "
                        + t.name() + "-" + p);
            }
        }
        PartitionAssignment next = ReplicaDecisions.alterIsr(t.partition(p), cmd.leader(), cmd.leaderEpoch(), isr);
        if (next == null) {
            throw new SluiceException(ErrorCode.NOT_LEADER, "stale ISR change for " + t.name() + "-" + p);
        }
        return replace(t, next);
    }

    private ClusterMetadata controlledShutdown(String node) {
        shuttingDown.add(node);
        Set<String> live = liveBrokers();
        LOG.log(System.Logger.Level.INFO, "controlled shutdown of node " + node);
        ClusterMetadata next = withEachPartition((pa, unclean) -> ReplicaDecisions.controlledShutdown(pa, node, live));
        // (A new version even when nothing moves: the node waits for it before it stops.)
        return next != metadata ? next : metadata.withTopics(metadata.topics());
    }

    private ClusterMetadata replace(TopicMetadata t, PartitionAssignment pa) {
        List<PartitionAssignment> parts = new ArrayList<>(t.partitions());
        parts.set(pa.partition(), pa);
        return metadata.withTopic(t.withPartitions(parts));
    }
}

package io.sluice.partition;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.MetadataCache;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicMetadata;
import io.sluice.common.Clock;
import io.sluice.common.Confinement;
import io.sluice.config.BrokerSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps this node's partition replicas in line with the cluster metadata: deploys a
 * {@link PartitionVerticle} for every partition assigned here, passes changed topic configs to
 * them, and stops (deleting their logs) those whose topic was deleted or whose replica moved
 * away. Metadata versions are reconciled one at a time, in order, on this verticle's context;
 * replicas start in the background, so a version does not wait for the last one's to be up.
 * Owns what the replicas share: the {@link PartitionScheduler} that runs their periodic work, and
 * the {@link HighWatermarkCheckpoints} it writes every
 * {@code replica.high.watermark.checkpoint.interval.ms} and once all replicas have stopped.
 *
 * <p>Its bookkeeping is confined to its context's event loop ({@link Confinement}, checked where
 * metadata, timers and deployments come in); what other threads may read is marked so.
 */
public final class ReplicaManager extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(ReplicaManager.class.getName());

    private final String nodeId;
    private final LogManager logs;
    private final MetadataCache cache;
    private final BrokerSettings broker;
    private final Map<TopicPartition, Replica> replicas = new HashMap<>();
    private final Map<TopicPartition, PartitionVerticle> published = new java.util.concurrent.ConcurrentHashMap<>();
    private Future<?> queue = Future.succeededFuture();
    /** Replicas being started, by partition (see {@link #deploy}). */
    private final Map<TopicPartition, Future<String>> starting = new HashMap<>();
    /**
     * Replicas waiting for their turn to start, in the order the metadata named them: at most
     * {@link #startConcurrency} start at once (see {@link #startMore}).
     */
    private final java.util.LinkedHashSet<TopicPartition> waiting = new java.util.LinkedHashSet<>();
    private final int startConcurrency;
    /** The most replicas ever starting at once (tests check the pacing); written on this verticle's context. */
    private volatile int peakStarting;
    /** The metadata last reconciled; whether stopping replicas then failed; replicas that could not start. */
    private ClusterMetadata reconciled;
    private boolean stepsFailed;
    /** Replicas that could not start, and their topics, looked at again by the next reconcile. */
    private final java.util.Set<TopicPartition> failedStarts = new java.util.HashSet<>();
    private final java.util.Set<String> recheck = new java.util.HashSet<>();
    /** The metadata whose roles the running replicas were last handed (see {@link #applyRoles}). */
    private ClusterMetadata rolesApplied = ClusterMetadata.EMPTY;
    /** Per topic name, one above the highest partition ever started here: where to look for its replicas. */
    private final Map<String, Integer> highestPartition = new HashMap<>();
    private volatile boolean ready;
    /** Set when the node stops: later metadata deploys nothing (the deployments are going away). */
    private volatile boolean stopping;

    /** A deployed replica and what it was deployed with. */
    private record Replica(PartitionVerticle verticle, String deploymentId, String topicId, Map<String, String> configs,
                           PartitionAssignment assignment) {
        Replica with(Map<String, String> newConfigs, PartitionAssignment newAssignment) {
            return new Replica(verticle, deploymentId, topicId, newConfigs, newAssignment);
        }
    }

    private final MeterRegistry meters;
    /** Removes the replicas' {@link PartitionMetrics} from the registry. */
    private Runnable unregisterMetrics = () -> { };
    private final ReplicationSettings replication;
    private final HighWatermarkCheckpoints checkpoints;
    /** The node's memory for the leaders' tail caches. */
    private final TailCacheBudget tails;
    /** The node's clock, handed to the replicas and their scheduler. */
    private final Clock clock;
    private PartitionScheduler scheduler;
    /** Set while a checkpoint is being written, so that a slow disk never queues a second one. */
    private boolean checkpointing;
    /** The event loop the state above belongs to (set at start, on this verticle's context). */
    private Confinement confinement;

    public ReplicaManager(String nodeId, LogManager logs, MetadataCache cache, BrokerSettings broker, MeterRegistry meters,
                          ReplicationSettings replication, Clock clock) {
        this.clock = clock;
        this.meters = meters;
        this.replication = replication;
        this.nodeId = nodeId;
        this.logs = logs;
        this.cache = cache;
        this.broker = broker;
        this.checkpoints = new HighWatermarkCheckpoints(logs.logsDir());
        this.tails = new TailCacheBudget(broker.getLong("sluice.partition.tail.cache.total.bytes"));
        this.startConcurrency = broker.getInt("sluice.partition.start.concurrency");
    }

    /** The most replicas that were ever starting at once (tests); any thread. */
    int peakStarting() {
        return peakStarting;
    }

    /** The scheduler of the replicas' periodic work (tests count its tasks). */
    PartitionScheduler scheduler() {
        return scheduler;
    }

    /** Whether every partition assigned here in the latest metadata is up. */
    /** Every local replica is up, and the broker holds a lease from the controller. */
    public boolean ready() {
        return ready && replication.lease().valid();
    }

    /** The local replica of {@code tp}, if this node holds one; any thread. */
    public PartitionVerticle local(TopicPartition tp) {
        return published.get(tp);
    }

    /** The state of every local replica ({@code GET /replicas}), by topic and partition. */
    public Future<List<ReplicaStatus>> describeLocal() {
        List<PartitionVerticle> local = new ArrayList<>(published.values());
        local.sort(Comparator.comparing((PartitionVerticle v) -> v.topicPartition().topic())
                .thenComparingInt(v -> v.topicPartition().partition()));
        List<Future<ReplicaStatus>> states = new ArrayList<>();
        for (PartitionVerticle v : local) {
            states.add(v.describe());
        }
        return Future.all(states).map(all -> {
            List<ReplicaStatus> out = new ArrayList<>(states.size());
            states.forEach(f -> out.add(f.result()));
            return out;
        });
    }

    /** Local replicas, for metrics. */
    public Map<TopicPartition, PartitionVerticle> locals() {
        return published;
    }

    @Override
    public Future<?> start() {
        confinement = Confinement.toCurrentEventLoop("ReplicaManager of " + nodeId);
        scheduler = new PartitionScheduler(vertx, PartitionScheduler.DEFAULT_TICK_MS, clock);
        scheduler.start();
        unregisterMetrics = PartitionMetrics.register(meters, published::values);
        scheduler.schedule(context, broker.getLong("replica.high.watermark.checkpoint.interval.ms"),
                this::checkpointHighWatermarks);
        cache.onChange(m -> {
            if (!stopping) {
                context.runOnContext(v -> {
                    applyRoles(m);
                    enqueue(m);
                });
            }
        });
        return removeStaleLogs(cache.current()).compose(v -> enqueue(cache.current()));
    }

    /**
     * Hands each running replica its new role at once, ahead of the queued deploys and undeploys:
     * those wait on the cluster (bus registrations), and a replica that keeps acting as leader
     * after the controller moved its partition only makes producers wait. A replica this node
     * no longer holds steps down now and is stopped by the queue.
     */
    private void applyRoles(ClusterMetadata metadata) {
        confinement.check();
        if (cache.current().newerThan(metadata)) {
            return;
        }
        java.util.Set<String> changed = metadata.topicsChangedSince(rolesApplied);
        rolesApplied = metadata;
        for (String name : changed) {
            TopicMetadata topic = metadata.topic(name);
            for (TopicPartition tp : replicasOf(name)) {
                Replica existing = replicas.get(tp);
                PartitionVerticle v = existing.verticle();
                if (!stillHeld(existing, topic, tp)) {
                    if (existing.assignment() != null) {
                        v.execute(() -> v.stepDown("the replica moves off this node"));
                        // (No assignment on record: should a newer version keep the replica here, it gets its role again.)
                        replicas.put(tp, existing.with(existing.configs(), null));
                    }
                    continue;
                }
                PartitionAssignment pa = topic.partition(tp.partition());
                if (!pa.equals(existing.assignment())) {
                    v.execute(() -> v.applyAssignment(pa));
                    replicas.put(tp, existing.with(existing.configs(), pa));
                }
            }
        }
    }

    /** The running replicas of topic {@code name} (any incarnation of it). */
    private List<TopicPartition> replicasOf(String name) {
        List<TopicPartition> out = new ArrayList<>();
        int upTo = highestPartition.getOrDefault(name, 0);
        for (int p = 0; p < upTo; p++) {
            TopicPartition tp = new TopicPartition(name, p);
            if (replicas.containsKey(tp)) {
                out.add(tp);
            }
        }
        return out;
    }

    private Future<?> enqueue(ClusterMetadata metadata) {
        queue = queue.eventually(() -> stopping ? Future.succeededFuture() : reconcile(metadata));
        return queue;
    }

    /** Deletes log directories of topics the metadata no longer has (deleted while this node was down). */
    private Future<Void> removeStaleLogs(ClusterMetadata metadata) {
        return vertx.executeBlocking(() -> {
            checkpoints.load();
            Set<String> liveIds = new HashSet<>();
            for (TopicMetadata t : metadata.topics().values()) {
                liveIds.add(t.topicId());
            }
            for (LogManager.StoredLog stored : logs.storedLogs()) {
                TopicMetadata t = metadata.topic(stored.tp().topic());
                boolean held = t != null && stored.tp().partition() < t.partitionCount()
                        && t.partition(stored.tp().partition()).replicas().contains(nodeId);
                if (!held && (stored.topicId() == null || !liveIds.contains(stored.topicId()))) {
                    LOG.log(System.Logger.Level.INFO, "deleting log of " + stored.tp() + ": its topic no longer exists");
                    logs.deleteLogDir(stored.tp());
                    checkpoints.forget(stored.tp());
                }
            }
            return null;
        });
    }

    private Future<?> reconcile(ClusterMetadata metadata) {
        confinement.check();
        if (cache.current().newerThan(metadata)) {
            return Future.succeededFuture();
        }
        // Only the topics that changed since the last version reconciled (and those with a replica
        // that could not start, tried again): the others' replicas are as that version left them.
        java.util.Set<String> changed = metadata.topicsChangedSince(reconciled == null ? ClusterMetadata.EMPTY : reconciled);
        changed.addAll(recheck);
        recheck.clear();
        List<Future<?>> steps = new ArrayList<>();
        for (String name : changed) {
            TopicMetadata topic = metadata.topic(name);
            for (TopicPartition tp : replicasOf(name)) {
                if (!stillHeld(replicas.get(tp), topic, tp)) {
                    steps.add(undeploy(tp, true));
                }
            }
            if (topic == null) {
                continue;
            }
            for (PartitionAssignment pa : topic.partitions()) {
                if (!pa.replicas().contains(nodeId)) {
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic.name(), pa.partition());
                Replica existing = replicas.get(tp);
                if (existing == null) {
                    if (!starting.containsKey(tp)) {
                        waiting.add(tp);
                    }
                    continue;
                }
                update(tp, existing, topic, pa);
            }
        }
        reconciled = metadata;
        startMore();
        return Future.join(steps).onComplete(ar -> {
            confinement.check();
            stepsFailed = ar.failed();
            if (ar.failed()) {
                LOG.log(System.Logger.Level.ERROR, "could not stop every partition: " + ar.cause());
            }
            updateReady();
        });
    }

    /** Hands a running replica the configs and assignment {@code topic} now gives it. */
    private void update(TopicPartition tp, Replica existing, TopicMetadata topic, PartitionAssignment pa) {
        PartitionVerticle v = existing.verticle();
        if (!existing.configs().equals(topic.configs())) {
            PartitionSettings settings = PartitionSettings.of(topic.configs(), broker);
            v.execute(() -> v.applySettings(settings));
        }
        if (!pa.equals(existing.assignment())) {
            v.execute(() -> v.applyAssignment(pa));
        }
        replicas.put(tp, existing.with(topic.configs(), pa));
    }

    /**
     * Ready once the latest metadata has been reconciled and no replica is still starting. Replicas
     * start in the background: the next metadata version is reconciled without waiting for them,
     * so that a thousand topics created one after another start side by side, not one version at a
     * time.
     */
    private void updateReady() {
        ready = !stepsFailed && failedStarts.isEmpty() && starting.isEmpty() && waiting.isEmpty() && reconciled != null
                && !cache.current().newerThan(reconciled);
    }

    /** Whether {@code topic} (null when deleted) still places the running replica {@code r} of {@code tp} here. */
    private boolean stillHeld(Replica r, TopicMetadata topic, TopicPartition tp) {
        return topic != null && topic.topicId().equals(r.topicId()) && assignedHere(topic, tp.partition());
    }

    private boolean assignedHere(TopicMetadata topic, int partition) {
        return partition < topic.partitionCount() && topic.partition(partition).replicas().contains(nodeId);
    }

    /**
     * Starts waiting replicas while fewer than {@link #startConcurrency} are starting. Each start
     * is a few tasks on an event loop and a log opened on a worker; handing Vert.x 10,000 of them
     * in one turn queued them all ahead of every heartbeat and request on the event loops, long
     * enough for the controller to fence this node. A replica whose partition the newest
     * reconciled metadata no longer places here by its turn is not started.
     */
    private void startMore() {
        java.util.Iterator<TopicPartition> next = waiting.iterator();
        while (starting.size() < startConcurrency && next.hasNext() && !stopping) {
            TopicPartition tp = next.next();
            next.remove();
            TopicMetadata topic = reconciled.topic(tp.topic());
            if (topic != null && assignedHere(topic, tp.partition()) && !replicas.containsKey(tp) && !starting.containsKey(tp)) {
                deploy(topic, topic.partition(tp.partition()), reconciled);
            }
        }
        updateReady();
    }

    /**
     * Starts the replica of {@code tp} as {@code from} places it. When it is up, a newer version
     * that arrived meanwhile (a new leader, new configs, the topic deleted) is reconciled again.
     */
    private void deploy(TopicMetadata topic, PartitionAssignment pa, ClusterMetadata from) {
        TopicPartition tp = new TopicPartition(topic.name(), pa.partition());
        PartitionVerticle verticle = new PartitionVerticle(tp, topic.topicId(), nodeId, logs,
                PartitionSettings.of(topic.configs(), broker), replication, pa, () -> latestAssignment(tp, topic.topicId()),
                scheduler, checkpoints, tails, clock);
        Future<String> started = vertx.deployVerticle(verticle);
        starting.put(tp, started);
        peakStarting = Math.max(peakStarting, starting.size());
        highestPartition.merge(tp.topic(), tp.partition() + 1, Math::max);
        started.onComplete(ar -> {
            confinement.check();
            starting.remove(tp);
            if (ar.succeeded()) {
                failedStarts.remove(tp);
                Replica replica = new Replica(verticle, ar.result(), topic.topicId(), topic.configs(), verticle.startedWith());
                replicas.put(tp, replica);
                published.put(tp, verticle);
                catchUp(tp, replica, from);
            } else {
                failedStarts.add(tp);
                recheck.add(tp.topic());
                LOG.log(System.Logger.Level.ERROR, "cannot start partition " + tp, ar.cause());
            }
            startMore();
        });
    }

    /** The assignment of {@code tp} in the newest metadata, if it still places the replica of that topic here; any thread. */
    private PartitionAssignment latestAssignment(TopicPartition tp, String topicId) {
        TopicMetadata topic = cache.current().topic(tp.topic());
        if (topic == null || !topic.topicId().equals(topicId) || !assignedHere(topic, tp.partition())) {
            return null;
        }
        return topic.partition(tp.partition());
    }

    /**
     * A replica that started from version {@code from} while newer versions were reconciled (which
     * left it alone while it started) takes what the newest says of it: its role and configs, or
     * a stop if it is no longer held here.
     */
    private void catchUp(TopicPartition tp, Replica replica, ClusterMetadata from) {
        ClusterMetadata now = cache.current();
        if (!now.newerThan(from) || stopping) {
            return;
        }
        TopicMetadata topic = now.topic(tp.topic());
        if (!stillHeld(replica, topic, tp)) {
            undeploy(tp, true);
            return;
        }
        update(tp, replica, topic, topic.partition(tp.partition()));
    }

    private Future<?> undeploy(TopicPartition tp, boolean deleteLog) {
        Replica r = replicas.remove(tp);
        published.remove(tp);
        if (deleteLog) {
            r.verticle().execute(r.verticle()::deleteOnStop);
            checkpoints.forget(tp);
        }
        long started = clock.monotonicMillis();
        return vertx.undeploy(r.deploymentId()).onComplete(ar -> {
            long took = clock.monotonicMillis() - started;
            if (ar.failed() || took > 1_000) {
                // (Slow stops hold up this node's later metadata changes: worth seeing.)
                LOG.log(System.Logger.Level.INFO, "replica of " + tp + " stopped in " + took + " ms"
                        + (ar.failed() ? ", with an error: " + ar.cause() : ""));
            }
        });
    }

    /**
     * Writes every running replica's high watermark (read from its volatile field) on a worker
     * thread, unless nothing moved since the last write; never two writes at once.
     */
    private void checkpointHighWatermarks() {
        confinement.check();
        if (checkpointing || stopping) {
            return;
        }
        Map<TopicPartition, Long> live = highWatermarks(published.values());
        checkpointing = true;
        vertx.executeBlocking(() -> checkpoints.checkpoint(live)).onComplete(ar -> {
            confinement.check();
            checkpointing = false;
            if (ar.failed()) {
                LOG.log(System.Logger.Level.WARNING, "could not write the high-watermark checkpoint: " + ar.cause());
            }
        });
    }

    private static Map<TopicPartition, Long> highWatermarks(Iterable<PartitionVerticle> replicas) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (PartitionVerticle v : replicas) {
            out.put(v.topicPartition(), v.highWatermark());
        }
        return out;
    }

    @Override
    public Future<?> stop() {
        confinement.check();
        stopping = true;
        // Each partition closes its log cleanly before this completes; one that is already gone
        // does not hold the others up. Their high watermarks are checkpointed once, after all
        // have stopped serving (a stopped replica's no longer moves), before the node's
        // clean-shutdown marker is written.
        List<PartitionVerticle> running = new ArrayList<>();
        return queue.eventually(() -> Future.join(new ArrayList<>(starting.values()))).eventually(() -> {
            confinement.check();
            running.addAll(published.values());
            List<Future<?>> stops = new ArrayList<>();
            for (TopicPartition tp : new ArrayList<>(replicas.keySet())) {
                if (!vertx.deploymentIDs().contains(replicas.get(tp).deploymentId())) {
                    // Deployed from this verticle, so Vert.x stopped it already, before this one.
                    replicas.remove(tp);
                    published.remove(tp);
                    continue;
                }
                stops.add(undeploy(tp, false).recover(e -> Future.succeededFuture()));
            }
            return Future.join(stops);
        }).eventually(() -> {
            scheduler.stop();
            unregisterMetrics.run();
            Map<TopicPartition, Long> last = highWatermarks(running);
            return vertx.executeBlocking(() -> checkpoints.checkpoint(last)).onFailure(e -> LOG.log(
                    System.Logger.Level.WARNING, "could not write the high-watermark checkpoint at stop: " + e));
        });
    }
}

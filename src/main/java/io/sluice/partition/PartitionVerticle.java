package io.sluice.partition;

import io.sluice.common.Clock;
import io.sluice.common.Confinement;
import io.sluice.common.ErrorCode;
import io.sluice.bus.FetchRequest;
import io.sluice.bus.LeaderEpochRequest;
import io.sluice.bus.LeaderEpochResponse;
import io.sluice.bus.OffsetsRequest;
import io.sluice.bus.ProduceRequest;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.log.LeaderEpochCache;
import io.sluice.log.LogView;
import io.sluice.log.LogWriter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;

import java.util.List;
import java.util.function.Supplier;

/**
 * One partition replica on this node: the owner of its log's {@link LogWriter} (the only door
 * through which the log changes, draining on the node's I/O threads, so the event loop never
 * waits for the disk; everything else here reads the log through its {@link LogView}), and the
 * owner of the partition's state: its role (leader or follower) in the current leader epoch, the
 * ISR and the high watermark.
 *
 * <p>As leader it tracks its followers ({@link LeaderState}), advances the high watermark and asks
 * the controller to shrink or grow the ISR; its produce path ({@link LeaderAppends}: appends and
 * {@code acks=all}) is a class of its own. As follower it replicates from the leader
 * ({@link FollowerFetcher}). Either way it serves reads ({@link FetchServing}: fetches, long polls,
 * the tail cache, offset lookups), and its {@link #describe() status} is data the API renders.
 * Requests reach it from other nodes through the node's {@link ReplicaEndpoint}, and from this
 * node by direct calls ({@link #call}); all state is confined to its context's event loop, which
 * each way in checks ({@link Confinement}): a request, a task handed over by {@link #execute}, a
 * timer, and the continuation of work done on the log's threads.
 */
public final class PartitionVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(PartitionVerticle.class.getName());

    private final TopicPartition tp;
    private final String topicId;
    private final String nodeId;
    private final LogManager logs;
    private final ReplicationSettings replication;
    private final PartitionScheduler scheduler;
    private final HighWatermarkCheckpoints checkpoints;
    private final TailCacheBudget tails;
    /** Its monotonic time measures followers' lag. */
    private final Clock clock;
    private PartitionSettings settings;
    private PartitionAssignment assignment;
    /** The newest assignment of this replica in the node's metadata, or null once it no longer holds one here. */
    private final Supplier<PartitionAssignment> latest;
    /** The assignment the replica took when it started (read once the start completed). */
    private volatile PartitionAssignment startedWith;

    /** The log, read-only; every change goes through {@link #writer}. */
    private LogView log;
    private LogWriter writer;
    private volatile long highWatermark;
    private LeaderState leader;
    private FollowerFetcher fetcher;
    /** Created at start (they need the verticle's Vert.x and context). */
    private FetchServing fetches;
    private LeaderAppends appends;
    /** Periodic work, on the node's one {@link PartitionScheduler} rather than a timer each. */
    private PartitionScheduler.Task retentionTask;
    private PartitionScheduler.Task flushTask;
    private PartitionScheduler.Task isrTask;
    private boolean deleteOnStop;
    /** Set when the replica starts stopping: from then on it serves nothing. */
    private boolean stopping;
    /** The event loop all of the above belongs to (set at start, on this verticle's context). */
    private Confinement confinement;

    public PartitionVerticle(TopicPartition tp, String topicId, String nodeId, LogManager logs, PartitionSettings settings,
                             ReplicationSettings replication, PartitionAssignment assignment, Supplier<PartitionAssignment> latest,
                             PartitionScheduler scheduler, HighWatermarkCheckpoints checkpoints, TailCacheBudget tails, Clock clock) {
        this.latest = latest;
        this.tails = tails;
        this.scheduler = scheduler;
        this.clock = clock;
        this.checkpoints = checkpoints;
        this.tp = tp;
        this.topicId = topicId;
        this.nodeId = nodeId;
        this.logs = logs;
        this.settings = settings;
        this.replication = replication;
        this.assignment = assignment;
    }

    public TopicPartition topicPartition() {
        return tp;
    }

    /** The event loop this replica runs on (once started); any thread. */
    io.netty.channel.EventLoop eventLoop() {
        return ((ContextInternal) context).nettyEventLoop();
    }

    /** The assignment this replica took when it started; read after its start completed. */
    PartitionAssignment startedWith() {
        return startedWith;
    }

    /** Consumer fetches answered so far; any thread (a metrics read, which may lag). */
    public long consumerFetches() {
        FetchServing f = fetches;
        return f == null ? 0 : f.consumerFetches();
    }

    /** The high watermark; any thread (it is volatile). */
    public long highWatermark() {
        return highWatermark;
    }

    /** The log, once started; for metrics and local reads (any thread: a {@link LogView} is thread-safe). */
    public LogView log() {
        return log;
    }

    @Override
    public Future<?> start() {
        confinement = Confinement.toCurrentEventLoop("PartitionVerticle " + tp);
        fetches = new FetchServing(this, tp, vertx, (ContextInternal) context, confinement, logs.readExecutor(), tails);
        appends = new LeaderAppends(this, tp, nodeId, replication, vertx, (ContextInternal) context, confinement);
        return vertx.executeBlocking(() -> {
            LogWriter opened = logs.open(tp, topicId, settings.logConfig());
            highWatermark = Math.min(checkpoints.recovered(tp, opened.log().dir()), opened.log().logEndOffset());
            return opened;
        }).compose(opened -> {
            confinement.check();
            writer = opened;
            log = opened.log();
            logs.cleaner().register(writer);
            armTimers();
            // The newest assignment, not the one it was deployed with: opening the log takes a
            // while, and on a node starting with thousands of partitions their leaders are
            // elected meanwhile. Taking the election's result here saves every replica a role it
            // would hold for a moment (a follower of nobody, then a leader).
            PartitionAssignment newest = latest.get();
            startedWith = newest != null && newest.leaderEpoch() >= assignment.leaderEpoch() ? newest : assignment;
            applyAssignment(startedWith);
            return Future.succeededFuture();
        });
    }

    /**
     * This replica's state for {@code GET /replicas} ({@link ReplicaStatus}): role, offsets,
     * requests waiting, and the leader's view of its followers or the follower's fetch loop. Read
     * on the replica's context.
     */
    public Future<ReplicaStatus> describe() {
        Promise<ReplicaStatus> promise = Promise.promise();
        context.runOnContext(v -> {
            confinement.check();
            long now = clock.monotonicMillis();
            promise.complete(new ReplicaStatus(tp.topic(), tp.partition(),
                    leader != null ? "leader" : fetcher != null ? "follower" : "idle",
                    assignment == null ? null : assignment.leader(),
                    assignment == null ? null : assignment.leaderEpoch(),
                    log == null ? null : new ReplicaStatus.Offsets(log.logStartOffset(), log.logEndOffset(), highWatermark,
                            writer.queued()),
                    appends.awaitingAcks(), fetches.parkedCount(), fetches.consumerFetches(),
                    leader == null ? null : leader.describe(now), fetcher == null ? null : fetcher.describe(now)));
        });
        return promise.future();
    }

    /** The log's writer (its produce path appends through it; tests wait for it to be idle). */
    LogWriter writer() {
        return writer;
    }

    /** This replica's state as leader, or null when it does not lead. On its context. */
    LeaderState leader() {
        return leader;
    }

    /** The topic's settings as they apply now. On its context. */
    PartitionSettings settings() {
        return settings;
    }

    /** The leader epoch of its current assignment. On its context. */
    int leaderEpoch() {
        return assignment.leaderEpoch();
    }

    /** Its read side. On its context. */
    FetchServing fetches() {
        return fetches;
    }

    /** Runs {@code task} on this verticle's context, where its state lives. */
    void execute(Runnable task) {
        context.runOnContext(v -> task.run());
    }

    /** Marks the log for deletion when the partition stops (its topic was deleted, or the replica moved). */
    void deleteOnStop() {
        confinement.check();
        deleteOnStop = true;
    }

    /** Applies changed topic configs (runs on this verticle's context). */
    void applySettings(PartitionSettings updated) {
        confinement.check();
        this.settings = updated;
        writer.updateConfig(updated.logConfig());
        armTimers();
    }

    // ---------------------------------------------------------------- roles

    /**
     * Takes this replica's role from the controller's assignment: leader when it names this
     * node, else follower of whoever leads (idle while nobody does). A new epoch always restarts
     * the role; the same epoch only updates replicas and ISR.
     */
    void applyAssignment(PartitionAssignment pa) {
        confinement.check();
        PartitionAssignment before = assignment;
        assignment = pa;
        boolean leads = nodeId.equals(pa.leader());
        boolean sameEpoch = before != null && before.leaderEpoch() == pa.leaderEpoch();
        if (leads) {
            if (leader != null && sameEpoch && leader.epoch == pa.leaderEpoch()) {
                leader.update(pa.replicas(), pa.isr(), clock.monotonicMillis());
                armIsrTask(pa);
                maybeAdvanceHighWatermark();
            } else {
                becomeLeader(pa);
            }
        } else if (leader != null || fetcher == null || !sameEpoch) {
            becomeFollower(pa);
        }
    }

    private void becomeLeader(PartitionAssignment pa) {
        stopFetcher();
        fetches.openTail(settings.tailCacheBytes());
        leader = new LeaderState(nodeId, pa.leaderEpoch(), log.logEndOffset(), pa.replicas(), pa.isr(), clock.monotonicMillis());
        // The epoch's checkpoint is written now, by the writer, so that its appends can stay in memory.
        writer.maybeAssignEpochStartOffset(pa.leaderEpoch());
        LOG.log(System.Logger.Level.INFO, tp + ": leader in epoch " + pa.leaderEpoch() + " with ISR " + pa.isr());
        cancelIsrTask();
        armIsrTask(pa);
        maybeAdvanceHighWatermark();
    }

    /**
     * Checks for followers to drop from the ISR while it has any: an ISR of the leader alone has
     * nobody to shrink, and the ISR only grows through a new assignment, which arms the check.
     * (A node leading 10,000 partitions of one replica each ran 667 of these checks a second
     * for nothing.)
     */
    private void armIsrTask(PartitionAssignment pa) {
        if (pa.isr().size() <= 1) {
            cancelIsrTask();
        } else if (isrTask == null) {
            isrTask = scheduler.schedule(context, Math.max(50, replication.lagTimeMaxMs() / 2), this::maybeShrinkIsr);
        }
    }

    private void becomeFollower(PartitionAssignment pa) {
        leader = null;
        fetches.dropTail();
        cancelIsrTask();
        // Written here, not acknowledged: whether the records survive is the new leader's to say.
        appends.deposed();
        fetches.failParked(true, new SluiceException(ErrorCode.NOT_LEADER, nodeId + " no longer leads " + tp));
        stopFetcher();
        LOG.log(System.Logger.Level.INFO, tp + ": follower of " + pa.leader() + " in epoch " + pa.leaderEpoch());
        if (pa.leader() != null) {
            fetcher = new FollowerFetcher(vertx, tp, nodeId, pa.leader(), pa.leaderEpoch(), writer,
                    replication.fetchMaxBytes(), replication.fetchWaitMaxMs(), this::onLeaderHighWatermark, confinement, clock);
            fetcher.start();
        }
    }

    /**
     * Serves no role until the next assignment: the replica is leaving this node (the queue
     * stops it soon) and must neither append as leader nor replicate meanwhile.
     */
    void stepDown(String why) {
        confinement.check();
        stopFetcher();
        if (leader != null) {
            LOG.log(System.Logger.Level.INFO, tp + ": no longer leading: " + why);
        }
        leader = null;
        fetches.dropTail();
        cancelIsrTask();
        SluiceException gone = new SluiceException(ErrorCode.NOT_LEADER, tp + " is no longer served here");
        appends.stepDown(gone);
        fetches.failParked(false, gone);
    }

    private void cancelIsrTask() {
        if (isrTask != null) {
            isrTask.cancel();
            isrTask = null;
        }
    }

    private void stopFetcher() {
        if (fetcher != null) {
            fetcher.stop();
            fetcher = null;
        }
    }

    /** A follower learns the leader's high watermark; its own cannot pass its log end. */
    private void onLeaderHighWatermark(long leaderHw) {
        advanceHighWatermark(Math.min(leaderHw, log.logEndOffset()));
    }

    // ---------------------------------------------------------------- ISR

    private void maybeAdvanceHighWatermark() {
        if (leader != null) {
            advanceHighWatermark(leader.highWatermark(log.logEndOffset()));
        }
    }

    private void maybeShrinkIsr() {
        confinement.check();
        if (leader == null) {
            return;
        }
        List<String> shrink = leader.isrToShrink(clock.monotonicMillis(), replication.lagTimeMaxMs());
        if (shrink != null) {
            LOG.log(System.Logger.Level.INFO, tp + ": shrinking ISR " + leader.committedIsr() + " to " + shrink);
            requestIsr(shrink);
        }
    }

    private void requestIsr(List<String> isr) {
        LeaderState asking = leader;
        asking.pending(isr);
        // The answer may complete on any thread (see IsrChanges): taken back to this replica's context.
        Promise<Void> answered = ((ContextInternal) context).promise();
        replication.isrChanges().request(tp, nodeId, asking.epoch, isr).onComplete(answered);
        answered.future().onComplete(ar -> {
            confinement.check();
            if (ar.failed() && leader == asking) {
                asking.pending(null);
            }
        });
    }

    int isrSize() {
        return leader == null ? 0 : leader.committedIsr().size();
    }

    // ---------------------------------------------------------------- lifecycle

    private void armTimers() {
        cancelLogTasks();
        retentionTask = scheduler.schedule(context, settings.retentionCheckIntervalMs(), () -> {
            confinement.check();
            long bound = highWatermark;
            writer.deleteOldSegments(bound);
        });
        if (settings.logConfig().flushMs < Long.MAX_VALUE) {
            flushTask = scheduler.schedule(context, settings.flushCheckIntervalMs(), () -> {
                confinement.check();
                writer.flushIfDue();
            });
        }
    }

    private void cancelLogTasks() {
        for (PartitionScheduler.Task t : new PartitionScheduler.Task[] {retentionTask, flushTask}) {
            if (t != null) {
                t.cancel();
            }
        }
        retentionTask = null;
        flushTask = null;
    }

    @Override
    public Future<?> stop() {
        confinement.check();
        cancelLogTasks();
        // Steps down at once: requests that still arrive are answered NOT_LEADER from here on, none
        // is appended to a log that is about to go, and producers waiting for acks=all retry at
        // the new leader now instead of at their timeout.
        stopping = true;
        stepDown("the replica stops");
        logs.cleaner().unregister(writer);
        if (deleteOnStop) {
            return Future.fromCompletionStage(writer.delete(), context);
        }
        // (The high watermark is checkpointed with every other replica's once all have stopped:
        // see ReplicaManager. The close waits for a compaction swap in flight.)
        return Future.fromCompletionStage(writer.close(), context);
    }

    /** A request from another node, through the {@link ReplicaEndpoint}: handled on this replica's context. */
    void deliver(Message<Object> msg) {
        context.runOnContext(v -> handle(msg.body(), Answer.to(msg)));
    }

    /**
     * A request from this node, without the event bus: handled on this replica's context like a
     * bus message; {@code promise} completes on its creator's context. A caller on this replica's
     * own event loop (one connection in every event-loop count) has it handled at once, switched
     * to this replica's context, rather than queued as a task behind the loop's others.
     */
    void call(Object request, Promise<Object> promise) {
        ContextInternal ctx = (ContextInternal) context;
        if (!ctx.nettyEventLoop().inEventLoop()) {
            ctx.runOnContext(v -> handle(request, Answer.to(promise)));
            return;
        }
        Answer.Deferring answer = Answer.deferring(promise, ctx);
        ctx.dispatch(request, r -> handle(r, answer));
        answer.callReturned();
    }

    private void handle(Object body, Answer answer) {
        confinement.check();
        if (stopping) {
            fail(answer, new SluiceException(ErrorCode.NOT_LEADER, tp + " is no longer served here"));
            return;
        }
        try {
            if (body instanceof ProduceRequest p) {
                appends.onProduce(answer, p);
            } else if (body instanceof FetchRequest f) {
                onFetch(answer, f);
            } else if (body instanceof OffsetsRequest o) {
                fetches.offsets(answer, o);
            } else if (body instanceof LeaderEpochRequest e) {
                onLeaderEpoch(answer, e);
            } else {
                fail(answer, new SluiceException(ErrorCode.BAD_REQUEST, "unexpected message " + body.getClass().getSimpleName()));
            }
        } catch (RuntimeException e) {
            fail(answer, e);
        }
    }

    /**
     * Why a leader without a lease refuses: it may be deposed, or back from a crash with less
     * than it had, and does not act as leader until the controller hears from it again.
     */
    SluiceException leaseExpired() {
        return new SluiceException(ErrorCode.NOT_LEADER, nodeId + " has not heard from the controller within its lease;"
                + " it does not act as leader of " + tp + " until it does");
    }

    /** The log end moved: wake followers waiting for records, and recompute the high watermark. */
    void onLogAppended() {
        fetches.wake(true);
        if (leader != null) {
            maybeAdvanceHighWatermark();
        }
    }

    private void advanceHighWatermark(long candidate) {
        if (candidate <= highWatermark) {
            return;
        }
        highWatermark = candidate;
        appends.highWatermarkAdvanced(candidate);
        fetches.wake(false);
    }

    // ---------------------------------------------------------------- fetch

    private void onFetch(Answer answer, FetchRequest req) {
        if (req.fromFollower()) {
            if (leader == null) {
                fail(answer, new SluiceException(ErrorCode.NOT_LEADER, nodeId + " does not lead " + tp));
                return;
            }
            if (!replication.lease().valid()) {
                // A leader without a lease may be deposed, or back from a crash with less than it had:
                // a follower must not take its log end (nor truncate to it).
                fail(answer, leaseExpired());
                return;
            }
            if (req.replicaEpoch() != leader.epoch || !leader.isReplica(req.replicaId())) {
                fail(answer, new SluiceException(ErrorCode.FENCED_LEADER_EPOCH, tp + " is led in epoch " + leader.epoch
                        + " and " + req.replicaId() + " fetched in epoch " + req.replicaEpoch()));
                return;
            }
            leader.onFetch(req.replicaId(), req.offset(), log.logEndOffset(), clock.monotonicMillis());
            maybeAdvanceHighWatermark();
            List<String> grow = leader.isrToExpand(req.replicaId(), highWatermark);
            if (grow != null) {
                LOG.log(System.Logger.Level.INFO, tp + ": " + req.replicaId() + " caught up; growing ISR to " + grow);
                requestIsr(grow);
            }
        }
        fetches.serve(answer, req);
    }
    private void onLeaderEpoch(Answer answer, LeaderEpochRequest req) {
        if (leader == null) {
            fail(answer, new SluiceException(ErrorCode.NOT_LEADER, nodeId + " does not lead " + tp));
            return;
        }
        if (!replication.lease().valid()) {
            fail(answer, leaseExpired());
            return;
        }
        LeaderEpochCache.EpochEndOffset end = log.leaderEpochCache().endOffsetFor(req.epoch(), log.logEndOffset());
        reply(answer, new LeaderEpochResponse(end.epoch(), end.endOffset(), log.logStartOffset()));
    }

    // ---------------------------------------------------------------- replies

    private static void reply(Answer answer, Object body) {
        answer.reply(body);
    }

    private void fail(Answer answer, Throwable e) {
        Answer.fail(answer, e, tp);
    }
}

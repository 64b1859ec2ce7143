package io.sluice.partition;

import io.sluice.bus.Acks;
import io.sluice.common.Clock;
import io.sluice.common.Confinement;
import io.sluice.common.ErrorCode;
import io.sluice.bus.FetchRequest;
import io.sluice.bus.FetchResponse;
import io.sluice.bus.LeaderEpochRequest;
import io.sluice.bus.LeaderEpochResponse;
import io.sluice.bus.OffsetsRequest;
import io.sluice.bus.OffsetsResponse;
import io.sluice.bus.ProduceRequest;
import io.sluice.bus.ProduceResponse.BatchResult;
import io.sluice.bus.ProduceResponse;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.log.LeaderEpochCache;
import io.sluice.log.LogAppendInfo;
import io.sluice.log.LogException;
import io.sluice.log.LogReadResult;
import io.sluice.log.LogStorageException;
import io.sluice.log.LogView;
import io.sluice.log.LogWriter;
import io.sluice.record.RecordBatch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * One partition replica on this node: the owner of its log's {@link LogWriter} (the only door
 * through which the log changes, draining on the node's I/O threads, so the event loop never
 * waits for the disk; everything else here reads the log through its {@link LogView}), and the
 * owner of the partition's state: its role (leader or follower) in the current leader epoch, the
 * high watermark, produce requests waiting for {@code acks=all}, and fetches parked until records
 * arrive (long polls).
 *
 * <p>As leader it appends, tracks its followers ({@link LeaderState}), advances the high
 * watermark and asks the controller to shrink or grow the ISR. As follower it replicates from the
 * leader ({@link FollowerFetcher}) and serves consumers below the high watermark it learns.
 * Requests reach it from other nodes through the node's {@link ReplicaEndpoint}, and from this
 * node by direct calls ({@link #call}); all state is confined to its context's event loop, which
 * each way in checks ({@link Confinement}): a request, a task handed over by {@link #execute}, a
 * timer, and the continuation of work done on the log's threads.
 */
public final class PartitionVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(PartitionVerticle.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

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
    /** Created at start (they need the verticle's Vert.x). */
    private ParkedFetches parked;
    private AwaitingAcks awaitingAcks;
    /** Small produce requests of the current turn, appended together at its end (created at start). */
    private ProduceTurn turn;
    /** Periodic work, on the node's one {@link PartitionScheduler} rather than a timer each. */
    private PartitionScheduler.Task retentionTask;
    private PartitionScheduler.Task flushTask;
    private PartitionScheduler.Task isrTask;
    /** The newest batches this leader wrote, for fetches at the tail (null when disabled). */
    private TailCache tail;
    /** Consumer (not replica) fetches this replica answered: shows where consumers read from. */
    private long consumerFetches;
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
        return consumerFetches;
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
        parked = new ParkedFetches(vertx, confinement);
        awaitingAcks = new AwaitingAcks(vertx, tp, this::ackTimeout, confinement);
        turn = new ProduceTurn((ContextInternal) context, this::appendTurn);
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
     * This replica's state for {@code GET /replicas}: role, offsets, requests waiting, and the
     * leader's view of its followers or the follower's fetch loop. Read on the replica's context.
     */
    public Future<JsonObject> describe() {
        Promise<JsonObject> promise = Promise.promise();
        context.runOnContext(v -> {
            confinement.check();
            long now = clock.monotonicMillis();
            JsonObject out = new JsonObject().put("topic", tp.topic())
                    .put("partition", tp.partition())
                    .put("role", leader != null ? "leader" : fetcher != null ? "follower" : "idle")
                    .put("leader", assignment == null ? null : assignment.leader())
                    .put("leader_epoch", assignment == null ? null : assignment.leaderEpoch());
            if (log != null) {
                out.put("log_start_offset", log.logStartOffset()).put("log_end_offset", log.logEndOffset())
                        .put("high_watermark", highWatermark).put("writes_queued", writer.queued());
            }
            out.put("produces_awaiting_acks", awaitingAcks.size()).put("fetches_parked", parked.size())
                    .put("consumer_fetches", consumerFetches);
            if (leader != null) {
                out.put("leader_state", leader.describe(now));
            }
            if (fetcher != null) {
                out.put("fetcher", fetcher.describe(now));
            }
            promise.complete(out);
        });
        return promise.future();
    }

    /** The log's writer (tests wait for it to be idle). */
    LogWriter writer() {
        return writer;
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
        dropTail();
        tail = settings.tailCacheBytes() > 0 ? tails.open(settings.tailCacheBytes()) : null;
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

    private void dropTail() {
        if (tail != null) {
            tail.close();
            tail = null;
        }
    }

    private void becomeFollower(PartitionAssignment pa) {
        leader = null;
        dropTail();
        cancelIsrTask();
        // Written here, not acknowledged: whether the records survive is the new leader's to say.
        awaitingAcks.failAll(writtenThenDeposed(), deposedIdempotent());
        failParked(true, new SluiceException(ErrorCode.NOT_LEADER, nodeId + " no longer leads " + tp));
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
        dropTail();
        cancelIsrTask();
        SluiceException gone = new SluiceException(ErrorCode.NOT_LEADER, tp + " is no longer served here");
        for (ProduceTurn.Pending p : turn.takeAll()) {
            fail(p.answer(), gone);
        }
        awaitingAcks.failAll(writtenThenDeposed(), deposedIdempotent());
        failParked(false, gone);
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

    private boolean leads() {
        return leader != null;
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

    private int isrSize() {
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

    /** Fails parked fetches: only followers' when {@code followersOnly}, else all. */
    private void failParked(boolean followersOnly, SluiceException e) {
        parked.release(req -> !followersOnly || req.fromFollower(), (answer, req) -> fail(answer, e));
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
                onProduce(answer, p);
            } else if (body instanceof FetchRequest f) {
                onFetch(answer, f);
            } else if (body instanceof OffsetsRequest o) {
                onOffsets(answer, o);
            } else if (body instanceof LeaderEpochRequest e) {
                onLeaderEpoch(answer, e);
            } else {
                fail(answer, new SluiceException(ErrorCode.BAD_REQUEST, "unexpected message " + body.getClass().getSimpleName()));
            }
        } catch (RuntimeException e) {
            fail(answer, e);
        }
    }

    // ---------------------------------------------------------------- produce

    private void onProduce(Answer answer, ProduceRequest req) {
        if (!leads()) {
            fail(answer, new SluiceException(ErrorCode.NOT_LEADER, nodeId + " does not lead " + tp));
            return;
        }
        if (req.leaderEpoch() != ProduceRequest.ANY_EPOCH && req.leaderEpoch() != leader.epoch) {
            fail(answer, new SluiceException(ErrorCode.FENCED_LEADER_EPOCH, "the write requires leader epoch "
                    + req.leaderEpoch() + " of " + tp + ", which is in epoch " + leader.epoch));
            return;
        }
        if (!replication.lease().valid()) {
            fail(answer, leaseExpired());
            return;
        }
        if (req.acks() == Acks.ALL && isrSize() < settings.minInsyncReplicas()) {
            fail(answer, notEnoughReplicas());
            return;
        }
        if (req.sizeInBytes() <= settings.inlineAppendMaxBytes()) {
            turn.add(answer, req, leader);
            return;
        }
        // Too large to write on the event loop: after this turn's requests, through the writer.
        appendTurn(turn.takeAll());
        appendThroughWriter(answer, req, leader);
    }

    /**
     * Appends one turn's small requests in arrival order: as few writes on this thread as the
     * inline limit allows, each holding the batches of several requests, or through the writer
     * when it is busy or a write would roll a segment or fall due for a flush. A request that
     * arrived under a leadership that has since ended is refused, not written.
     */
    private void appendTurn(List<ProduceTurn.Pending> group) {
        confinement.check();
        List<Appended> done = new ArrayList<>(group.size());
        int max = settings.inlineAppendMaxBytes();
        for (int i = 0; i < group.size(); ) {
            ProduceTurn.Pending first = group.get(i);
            LeaderState asLeader = first.asLeader();
            if (asLeader != leader) {
                fail(first.answer(), new SluiceException(ErrorCode.NOT_LEADER, nodeId + " no longer leads " + tp));
                i++;
                continue;
            }
            int end = i + 1;
            long bytes = first.request().sizeInBytes();
            while (end < group.size() && group.get(end).asLeader() == asLeader
                    && bytes + group.get(end).request().sizeInBytes() <= max) {
                bytes += group.get(end++).request().sizeInBytes();
            }
            List<RecordBatch> batches = new ArrayList<>(end - i);
            for (int k = i; k < end; k++) {
                batches.addAll(group.get(k).request().batches());
            }
            List<LogAppendInfo> infos = appendInline(batches, asLeader.epoch);
            int at = 0;
            for (int k = i; k < end; k++) {
                ProduceTurn.Pending p = group.get(k);
                if (infos == null) {
                    appendThroughWriter(p.answer(), p.request(), asLeader);
                } else {
                    int n = p.request().batches().size();
                    done.add(recordAppend(p.answer(), p.request(), asLeader, infos.subList(at, at + n)));
                    at += n;
                }
            }
            i = end;
        }
        if (!done.isEmpty()) {
            onLogAppended();
            for (Appended a : done) {
                answerAppended(a);
            }
        }
    }

    private void appendThroughWriter(Answer answer, ProduceRequest req, LeaderState asLeader) {
        List<CompletableFuture<LogAppendInfo>> appends = new ArrayList<>(req.batches().size());
        for (RecordBatch b : req.batches()) {
            appends.add(writer.appendAsLeader(b, asLeader.epoch));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new));
        Future.fromCompletionStage(all.handle((v, e) -> null), context).onComplete(ar -> {
            confinement.check();
            List<LogAppendInfo> infos = new ArrayList<>(appends.size());
            for (CompletableFuture<LogAppendInfo> a : appends) {
                try {
                    infos.add(a.join());
                } catch (CompletionException e) {
                    infos.add(LogAppendInfo.failed(e.getCause()));
                }
            }
            Appended appended = recordAppend(answer, req, asLeader, infos);
            onLogAppended();
            answerAppended(appended);
        });
    }

    /**
     * Appends {@code batches} on this thread when the writer is idle and no roll or flush is due
     * (see {@link LogWriter#tryAppendInline}); null when they go through the writer instead.
     */
    private List<LogAppendInfo> appendInline(List<RecordBatch> batches, int epoch) {
        try {
            return writer.tryAppendInline(batches, epoch);
        } catch (RuntimeException e) {
            List<LogAppendInfo> failed = new ArrayList<>(batches.size());
            for (int i = 0; i < batches.size(); i++) {
                failed.add(LogAppendInfo.failed(e));
            }
            return failed;
        }
    }

    /** A request whose batches are in the log (or failed), before its answer. */
    private record Appended(Answer answer, ProduceRequest request, LeaderState asLeader, ProduceResponse response,
                            long lastOffset) {
    }

    /** What the log did with a request's batches: their results; the ones written go to the tail cache. */
    private Appended recordAppend(Answer answer, ProduceRequest req, LeaderState asLeader, List<LogAppendInfo> infos) {
        List<BatchResult> results = new ArrayList<>(infos.size());
        long last = -1;
        for (int i = 0; i < infos.size(); i++) {
            LogAppendInfo info = infos.get(i);
            if (info.succeeded()) {
                results.add(new BatchResult(info.firstOffset(), info.logAppendTime(), null, null));
                last = Math.max(last, info.lastOffset());
                if (tail != null && leader == asLeader && !info.duplicate()) {
                    tail.add(req.batches().get(i));
                }
            } else {
                results.add(toResult(info.error()));
            }
        }
        return new Appended(answer, req, asLeader, new ProduceResponse(results), last);
    }

    /** Answers an appended request now, or once the high watermark passes it (acks=all). */
    private void answerAppended(Appended a) {
        if (leader != a.asLeader()) {
            // Leadership moved while the write was in flight: its fate is the new leader's.
            fail(a.answer(), writtenThenDeposed());
        } else if (!replication.lease().valid()) {
            // Written, but not acknowledged: another leader may be taking over, or this one may keep
            // them once its lease is back. Not NOT_LEADER: the node's partition client would retry
            // that, here again, and store the records twice.
            fail(a.answer(), writtenWithoutLease());
        } else if (a.request().acks() == Acks.ALL && isrSize() < settings.minInsyncReplicas()) {
            // The ISR shrank below min.insync.replicas while the records were being written (Kafka's
            // NOT_ENOUGH_REPLICAS_AFTER_APPEND): they are in the log, but not acknowledged.
            fail(a.answer(), notEnoughReplicas());
        } else if (a.request().acks() != Acks.ALL || a.lastOffset() < highWatermark) {
            reply(a.answer(), a.response());
        } else {
            awaitingAcks.await(a.answer(), a.response(), a.lastOffset(), a.request().timeoutMs(), retrySafe(a.request()));
        }
    }

    /**
     * Records in the log, not acknowledged because this replica stopped leading before they were
     * replicated (Kafka's producer sees NOT_LEADER_OR_FOLLOWER here and retries). Not NOT_LEADER:
     * the node's partition client would retry that at the new leader on the producer's behalf, and
     * where the records had reached it already they would be stored twice. Retriable by the
     * producer, which knows whether it may (with {@code producer_id}, a retry is stored once).
     */
    private SluiceException writtenThenDeposed() {
        return new SluiceException(ErrorCode.NOT_ENOUGH_REPLICAS, "records were written to " + nodeId
                + ", which stopped leading " + tp + " before they were replicated: not acknowledged");
    }

    /**
     * The same for an idempotent producer's records: NOT_LEADER, which the node's partition client
     * retries at the new leader, where the producer's sequence numbers make a copy it already holds
     * a duplicate answered with its first offsets, as Kafka's idempotent producer retries. (An
     * HTTP produce with an {@code Idempotency-Key} is one: a leader moving under load no longer
     * fails it.)
     */
    private SluiceException deposedIdempotent() {
        return new SluiceException(ErrorCode.NOT_LEADER, nodeId + " stopped leading " + tp
                + " before the records were replicated; retried at the new leader");
    }

    /** Whether sending {@code req} again cannot store its records twice: every batch an idempotent producer's, in no fixed epoch. */
    private static boolean retrySafe(ProduceRequest req) {
        if (req.leaderEpoch() != ProduceRequest.ANY_EPOCH) {
            return false;
        }
        for (RecordBatch b : req.batches()) {
            if (!b.hasProducerId()) {
                return false;
            }
        }
        return true;
    }

    private SluiceException leaseExpired() {
        return new SluiceException(ErrorCode.NOT_LEADER, nodeId + " has not heard from the controller within its lease;"
                + " it does not act as leader of " + tp + " until it does");
    }

    /**
     * Records in the log, not acknowledged because the lease ran out before they were replicated
     * (retriable, but not by this node: their fate is unknown until a leader holds a lease again,
     * and only an idempotent producer's retry cannot store them twice).
     */
    private SluiceException writtenWithoutLease() {
        return new SluiceException(ErrorCode.NOT_ENOUGH_REPLICAS, "records were written to the leader of " + tp
                + ", whose lease from the controller ran out before they were replicated: not acknowledged");
    }

    private SluiceException notEnoughReplicas() {
        return new SluiceException(ErrorCode.NOT_ENOUGH_REPLICAS, tp + " has " + isrSize()
                + " in-sync replica(s), min.insync.replicas is " + settings.minInsyncReplicas());
    }

    /**
     * Why an acks=all request that waited its whole timeout is refused: with an ISR change that the
     * controller has not committed (a follower the leader cannot reach, and no quorum to shrink the
     * ISR without it), or without a lease, the ISR cannot be satisfied, which is retriable (503);
     * otherwise the followers were merely slow (408).
     */
    private SluiceException ackTimeout() {
        if (leader != null && (leader.changePending() || !replication.lease().valid())) {
            return new SluiceException(ErrorCode.NOT_ENOUGH_REPLICAS, "records were written to the leader of " + tp
                    + " but the committed ISR " + leader.committedIsr() + " did not all receive them in time,"
                    + " and a change of the ISR is not committed");
        }
        return new SluiceException(ErrorCode.REQUEST_TIMED_OUT, "records were written to the leader of " + tp
                + " but not replicated to every in-sync replica in time");
    }

    private static BatchResult toResult(Throwable e) {
        if (e instanceof LogException.RecordTooLarge) {
            return BatchResult.failed(ErrorCode.RECORD_TOO_LARGE, e.getMessage());
        } else if (e instanceof LogException.OutOfOrderSequence) {
            return BatchResult.failed(ErrorCode.OUT_OF_ORDER_SEQUENCE, e.getMessage());
        } else if (e instanceof LogException.InvalidProducerEpoch) {
            return BatchResult.failed(ErrorCode.INVALID_PRODUCER_EPOCH, e.getMessage());
        } else if (e instanceof LogStorageException) {
            return BatchResult.failed(ErrorCode.STORAGE_ERROR, e.getMessage());
        }
        return BatchResult.failed(ErrorCode.INTERNAL, String.valueOf(e.getMessage()));
    }

    /** The log end moved: wake followers waiting for records, and recompute the high watermark. */
    private void onLogAppended() {
        wakeParked(true);
        if (leader != null) {
            maybeAdvanceHighWatermark();
        }
    }

    private void advanceHighWatermark(long candidate) {
        if (candidate <= highWatermark) {
            return;
        }
        highWatermark = candidate;
        if (leader != null && (!replication.lease().valid() || isrSize() < settings.minInsyncReplicas())) {
            awaitingAcks.refuseBelow(candidate, !replication.lease().valid() ? writtenWithoutLease() : notEnoughReplicas());
        } else {
            awaitingAcks.release(candidate);
        }
        wakeParked(false);
    }

    /** Serves parked fetches that can now be answered: followers' or consumers'. */
    private void wakeParked(boolean followers) {
        if (parked.isEmpty()) {
            return; // (the common case after every append: no lambda to allocate)
        }
        parked.release(req -> req.fromFollower() == followers && req.offset() < boundFor(req), this::read);
    }

    // ---------------------------------------------------------------- fetch

    private long boundFor(FetchRequest req) {
        return req.fromFollower() ? log.logEndOffset() : highWatermark;
    }

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
        } else {
            consumerFetches++;
        }
        long start = log.logStartOffset();
        long end = log.logEndOffset();
        if (req.offset() < start || req.offset() > end) {
            fail(answer, new SluiceException(ErrorCode.OFFSET_OUT_OF_RANGE, "offset " + req.offset() + " of " + tp
                    + " is outside [" + start + ", " + end + "]"));
            return;
        }
        if (req.offset() < boundFor(req)) {
            read(answer, req);
        } else if (req.maxWaitMs() <= 0) {
            reply(answer, emptyFetch(req));
        } else {
            parked.park(answer, req, (waited, r) -> reply(waited, emptyFetch(r)));
        }
    }

    private FetchResponse emptyFetch(FetchRequest req) {
        return new FetchResponse(EMPTY, req.offset(), highWatermark, log.logStartOffset(), log.logEndOffset(),
                assignment.leaderEpoch());
    }

    private void read(Answer answer, FetchRequest req) {
        long bound = boundFor(req);
        ByteBuffer cached = tail == null ? null : tail.read(req.offset(), req.maxBytes(), bound, log.activeSegmentBaseOffset());
        if (cached != null) {
            reply(answer, new FetchResponse(cached, req.offset(), highWatermark, log.logStartOffset(),
                    log.logEndOffset(), assignment.leaderEpoch()));
            return;
        }
        CompletableFuture<LogReadResult> read = CompletableFuture.supplyAsync(
                () -> log.read(req.offset(), req.maxBytes(), bound, true), logs.readExecutor());
        Future.fromCompletionStage(read, context).onComplete(ar -> {
            confinement.check();
            if (ar.failed()) {
                Throwable e = ar.cause() instanceof CompletionException ce ? ce.getCause() : ar.cause();
                if (e instanceof LogException.OffsetOutOfRange) {
                    fail(answer, new SluiceException(ErrorCode.OFFSET_OUT_OF_RANGE, e.getMessage()));
                } else {
                    fail(answer, e);
                }
                return;
            }
            LogReadResult r = ar.result();
            reply(answer, new FetchResponse(r.records(), req.offset(), highWatermark, r.logStartOffset(),
                    log.logEndOffset(), assignment.leaderEpoch()));
        });
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

    // ---------------------------------------------------------------- offsets

    private void onOffsets(Answer answer, OffsetsRequest req) {
        if (req.timestamp() < 0) {
            reply(answer, new OffsetsResponse(log.logStartOffset(), highWatermark, log.logEndOffset(), -1));
            return;
        }
        CompletableFuture<Long> lookup = CompletableFuture.supplyAsync(() -> log.offsetForTimestamp(req.timestamp()),
                logs.readExecutor());
        Future.fromCompletionStage(lookup, context).onComplete(ar -> {
            confinement.check();
            if (ar.failed()) {
                fail(answer, ar.cause());
                return;
            }
            long hw = highWatermark;
            long found = ar.result();
            long offset = found < 0 || found > hw ? hw : found;
            reply(answer, new OffsetsResponse(log.logStartOffset(), hw, log.logEndOffset(), offset));
        });
    }

    // ---------------------------------------------------------------- replies

    private static void reply(Answer answer, Object body) {
        answer.reply(body);
    }

    private void fail(Answer answer, Throwable e) {
        if (e instanceof SluiceException se) {
            answer.fail(se);
        } else {
            if (answer != Answer.NONE) {
                LOG.log(System.Logger.Level.WARNING, "request to " + tp + " failed", e);
            }
            answer.fail(new SluiceException(ErrorCode.INTERNAL, String.valueOf(e.getMessage())));
        }
    }
}

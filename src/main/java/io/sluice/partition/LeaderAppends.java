package io.sluice.partition;

import io.sluice.bus.Acks;
import io.sluice.bus.ProduceRequest;
import io.sluice.bus.ProduceResponse;
import io.sluice.bus.ProduceResponse.BatchResult;
import io.sluice.bus.TopicPartition;
import io.sluice.common.Confinement;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.log.LogAppendInfo;
import io.sluice.log.LogException;
import io.sluice.log.LogStorageException;
import io.sluice.log.LogWriter;
import io.sluice.record.RecordBatch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A leader replica's produce path (Kafka's {@code Partition.appendRecordsToLeader} with its
 * {@code DelayedProduce}): the checks a produce request must pass (leads, epoch, lease,
 * {@code min.insync.replicas}), the appends of one event-loop turn's small requests together
 * ({@link ProduceTurn}), written on the loop when the {@link LogWriter} lets them stay in memory
 * and through the writer otherwise, and the answers: at once, or once the high watermark passes
 * the records ({@link AwaitingAcks}, {@code acks=all}), or refused when leadership, lease or ISR
 * were lost on the way.
 *
 * <p>Owned by its {@link PartitionVerticle}, whose role and high watermark it reads, and confined
 * to that replica's event loop like the rest of its state (the continuations of writes done on
 * the log's threads check it).
 */
final class LeaderAppends {
    private static final System.Logger LOG = System.getLogger(PartitionVerticle.class.getName());

    private final PartitionVerticle replica;
    private final TopicPartition tp;
    private final String nodeId;
    private final ReplicationSettings replication;
    private final ContextInternal context;
    private final Confinement confinement;
    /** Small produce requests of the current turn, appended together at its end. */
    private final ProduceTurn turn;
    private final AwaitingAcks awaitingAcks;

    LeaderAppends(PartitionVerticle replica, TopicPartition tp, String nodeId, ReplicationSettings replication, Vertx vertx,
                  ContextInternal context, Confinement confinement) {
        this.replica = replica;
        this.tp = tp;
        this.nodeId = nodeId;
        this.replication = replication;
        this.context = context;
        this.confinement = confinement;
        this.turn = new ProduceTurn(context, this::appendTurn);
        this.awaitingAcks = new AwaitingAcks(vertx, tp, this::ackTimeout, confinement);
    }

    /** Produce requests written and waiting for {@code acks=all}. */
    int awaitingAcks() {
        return awaitingAcks.size();
    }

    void onProduce(Answer answer, ProduceRequest req) {
        LeaderState leader = replica.leader();
        if (leader == null) {
            Answer.fail(answer, new SluiceException(ErrorCode.NOT_LEADER, nodeId + " does not lead " + tp), tp);
            return;
        }
        if (req.leaderEpoch() != ProduceRequest.ANY_EPOCH && req.leaderEpoch() != leader.epoch) {
            Answer.fail(answer, new SluiceException(ErrorCode.FENCED_LEADER_EPOCH, "the write requires leader epoch "
                    + req.leaderEpoch() + " of " + tp + ", which is in epoch " + leader.epoch), tp);
            return;
        }
        if (!replication.lease().valid()) {
            Answer.fail(answer, replica.leaseExpired(), tp);
            return;
        }
        if (req.acks() == Acks.ALL && replica.isrSize() < replica.settings().minInsyncReplicas()) {
            Answer.fail(answer, notEnoughReplicas(), tp);
            return;
        }
        if (req.sizeInBytes() <= replica.settings().inlineAppendMaxBytes()) {
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
        int max = replica.settings().inlineAppendMaxBytes();
        for (int i = 0; i < group.size(); ) {
            ProduceTurn.Pending first = group.get(i);
            LeaderState asLeader = first.asLeader();
            if (asLeader != replica.leader()) {
                Answer.fail(first.answer(), new SluiceException(ErrorCode.NOT_LEADER, nodeId + " no longer leads " + tp), tp);
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
            replica.onLogAppended();
            for (Appended a : done) {
                answerAppended(a);
            }
        }
    }

    private void appendThroughWriter(Answer answer, ProduceRequest req, LeaderState asLeader) {
        LogWriter writer = replica.writer();
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
            replica.onLogAppended();
            answerAppended(appended);
        });
    }

    /**
     * Appends {@code batches} on this thread when the writer is idle and no roll or flush is due
     * (see {@link LogWriter#tryAppendInline}); null when they go through the writer instead.
     */
    private List<LogAppendInfo> appendInline(List<RecordBatch> batches, int epoch) {
        try {
            return replica.writer().tryAppendInline(batches, epoch);
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
        boolean stillLeads = replica.leader() == asLeader;
        for (int i = 0; i < infos.size(); i++) {
            LogAppendInfo info = infos.get(i);
            if (info.succeeded()) {
                results.add(new BatchResult(info.firstOffset(), info.logAppendTime(), null, null));
                last = Math.max(last, info.lastOffset());
                if (stillLeads && !info.duplicate()) {
                    replica.fetches().written(req.batches().get(i));
                }
            } else {
                results.add(toResult(info.error()));
            }
        }
        return new Appended(answer, req, asLeader, new ProduceResponse(results), last);
    }

    /** Answers an appended request now, or once the high watermark passes it (acks=all). */
    private void answerAppended(Appended a) {
        if (replica.leader() != a.asLeader()) {
            // Leadership moved while the write was in flight: its fate is the new leader's.
            Answer.fail(a.answer(), writtenThenDeposed(), tp);
        } else if (!replication.lease().valid()) {
            // Written, but not acknowledged: another leader may be taking over, or this one may keep
            // them once its lease is back. Not NOT_LEADER: the node's partition client would retry
            // that, here again, and store the records twice.
            Answer.fail(a.answer(), writtenWithoutLease(), tp);
        } else if (a.request().acks() == Acks.ALL && replica.isrSize() < replica.settings().minInsyncReplicas()) {
            // The ISR shrank below min.insync.replicas while the records were being written (Kafka's
            // NOT_ENOUGH_REPLICAS_AFTER_APPEND): they are in the log, but not acknowledged.
            Answer.fail(a.answer(), notEnoughReplicas(), tp);
        } else if (a.request().acks() != Acks.ALL || a.lastOffset() < replica.highWatermark()) {
            a.answer().reply(a.response());
        } else {
            awaitingAcks.await(a.answer(), a.response(), a.lastOffset(), a.request().timeoutMs(), retrySafe(a.request()));
        }
    }

    /**
     * The high watermark moved to {@code hw}: requests waiting for it are answered, or refused
     * when the leader lost its lease or the ISR fell below {@code min.insync.replicas} meanwhile.
     */
    void highWatermarkAdvanced(long hw) {
        if (replica.leader() != null && (!replication.lease().valid()
                || replica.isrSize() < replica.settings().minInsyncReplicas())) {
            awaitingAcks.refuseBelow(hw, !replication.lease().valid() ? writtenWithoutLease() : notEnoughReplicas());
        } else {
            awaitingAcks.release(hw);
        }
    }

    /** This replica stopped leading: the records waiting for acks were written, not acknowledged. */
    void deposed() {
        awaitingAcks.failAll(writtenThenDeposed(), deposedIdempotent());
    }

    /** The replica serves no role any more: this turn's requests are refused with {@code gone}, the waiting ones deposed. */
    void stepDown(SluiceException gone) {
        for (ProduceTurn.Pending p : turn.takeAll()) {
            Answer.fail(p.answer(), gone, tp);
        }
        deposed();
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
        return new SluiceException(ErrorCode.NOT_ENOUGH_REPLICAS, tp + " has " + replica.isrSize()
                + " in-sync replica(s), min.insync.replicas is " + replica.settings().minInsyncReplicas());
    }

    /**
     * Why an acks=all request that waited its whole timeout is refused: with an ISR change that the
     * controller has not committed (a follower the leader cannot reach, and no quorum to shrink the
     * ISR without it), or without a lease, the ISR cannot be satisfied, which is retriable (503);
     * otherwise the followers were merely slow (408).
     */
    private SluiceException ackTimeout() {
        LeaderState leader = replica.leader();
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
}

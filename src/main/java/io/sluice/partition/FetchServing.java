package io.sluice.partition;

import io.sluice.bus.FetchRequest;
import io.sluice.bus.FetchResponse;
import io.sluice.bus.OffsetsRequest;
import io.sluice.bus.OffsetsResponse;
import io.sluice.bus.TopicPartition;
import io.sluice.common.Confinement;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.log.LogException;
import io.sluice.log.LogReadResult;
import io.sluice.log.LogView;
import io.sluice.record.RecordBatch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * A replica's read side (Kafka's {@code ReplicaManager.fetchMessages} with its
 * {@code DelayedFetch}): fetches of followers (up to the log end) and of consumers (up to the high
 * watermark), served from the leader's {@link TailCache} when they read at the tail and from the
 * log's {@link LogView} on the node's read threads otherwise; fetches with nothing to read yet
 * parked until records arrive or their wait ends ({@link ParkedFetches}); and offset lookups by
 * timestamp. Whether a follower may fetch at all, and what its fetch tells the leader, is the
 * replica's (its role and ISR).
 *
 * <p>Owned by its {@link PartitionVerticle}, whose log, high watermark and leader epoch it reads,
 * and confined to that replica's event loop (the continuations of reads done on the read threads
 * check it).
 */
final class FetchServing {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final PartitionVerticle replica;
    private final TopicPartition tp;
    private final ContextInternal context;
    private final Confinement confinement;
    private final Executor readExecutor;
    private final TailCacheBudget tails;
    private final ParkedFetches parked;
    /** The newest batches this leader wrote, for fetches at the tail (null when disabled or not leading). */
    private TailCache tail;
    /** Consumer (not replica) fetches this replica answered: shows where consumers read from. */
    private long consumerFetches;

    FetchServing(PartitionVerticle replica, TopicPartition tp, Vertx vertx, ContextInternal context, Confinement confinement,
                 Executor readExecutor, TailCacheBudget tails) {
        this.replica = replica;
        this.tp = tp;
        this.context = context;
        this.confinement = confinement;
        this.readExecutor = readExecutor;
        this.tails = tails;
        this.parked = new ParkedFetches(vertx, confinement);
    }

    /** Consumer fetches answered so far; any thread (a metrics read, which may lag). */
    long consumerFetches() {
        return consumerFetches;
    }

    int parkedCount() {
        return parked.size();
    }

    /** A leader starts: it keeps its newest batches for fetches at the tail when {@code bytes} > 0. */
    void openTail(int bytes) {
        dropTail();
        tail = bytes > 0 ? tails.open(bytes) : null;
    }

    /** The replica stopped leading: its tail cache goes. */
    void dropTail() {
        if (tail != null) {
            tail.close();
            tail = null;
        }
    }

    /** A batch the leader wrote (not a duplicate): kept for fetches at the tail. */
    void written(RecordBatch batch) {
        if (tail != null) {
            tail.add(batch);
        }
    }

    /** Serves {@code req} (a follower's already admitted by the replica): now, empty, or once records arrive. */
    void serve(Answer answer, FetchRequest req) {
        if (!req.fromFollower()) {
            consumerFetches++;
        }
        LogView log = replica.log();
        long start = log.logStartOffset();
        long end = log.logEndOffset();
        if (req.offset() < start || req.offset() > end) {
            Answer.fail(answer, new SluiceException(ErrorCode.OFFSET_OUT_OF_RANGE, "offset " + req.offset() + " of " + tp
                    + " is outside [" + start + ", " + end + "]"), tp);
            return;
        }
        if (req.offset() < boundFor(req)) {
            read(answer, req);
        } else if (req.maxWaitMs() <= 0) {
            answer.reply(emptyFetch(req));
        } else {
            parked.park(answer, req, (waited, r) -> waited.reply(emptyFetch(r)));
        }
    }

    /** Serves parked fetches that can now be answered: followers' (the log end moved) or consumers' (the high watermark did). */
    void wake(boolean followers) {
        if (parked.isEmpty()) {
            return; // (the common case after every append: no lambda to allocate)
        }
        parked.release(req -> req.fromFollower() == followers && req.offset() < boundFor(req), this::read);
    }

    /** Fails parked fetches: only followers' when {@code followersOnly}, else all. */
    void failParked(boolean followersOnly, SluiceException e) {
        parked.release(req -> !followersOnly || req.fromFollower(), (answer, req) -> Answer.fail(answer, e, tp));
    }

    private long boundFor(FetchRequest req) {
        return req.fromFollower() ? replica.log().logEndOffset() : replica.highWatermark();
    }

    private FetchResponse emptyFetch(FetchRequest req) {
        LogView log = replica.log();
        return new FetchResponse(EMPTY, req.offset(), replica.highWatermark(), log.logStartOffset(), log.logEndOffset(),
                replica.leaderEpoch());
    }

    private void read(Answer answer, FetchRequest req) {
        LogView log = replica.log();
        long bound = boundFor(req);
        ByteBuffer cached = tail == null ? null : tail.read(req.offset(), req.maxBytes(), bound, log.activeSegmentBaseOffset());
        if (cached != null) {
            answer.reply(new FetchResponse(cached, req.offset(), replica.highWatermark(), log.logStartOffset(),
                    log.logEndOffset(), replica.leaderEpoch()));
            return;
        }
        CompletableFuture<LogReadResult> read = CompletableFuture.supplyAsync(
                () -> log.read(req.offset(), req.maxBytes(), bound, true), readExecutor);
        Future.fromCompletionStage(read, context).onComplete(ar -> {
            confinement.check();
            if (ar.failed()) {
                Throwable e = ar.cause() instanceof CompletionException ce ? ce.getCause() : ar.cause();
                if (e instanceof LogException.OffsetOutOfRange) {
                    Answer.fail(answer, new SluiceException(ErrorCode.OFFSET_OUT_OF_RANGE, e.getMessage()), tp);
                } else {
                    Answer.fail(answer, e, tp);
                }
                return;
            }
            LogReadResult r = ar.result();
            answer.reply(new FetchResponse(r.records(), req.offset(), replica.highWatermark(), r.logStartOffset(),
                    log.logEndOffset(), replica.leaderEpoch()));
        });
    }

    /** The offsets of the log, or the first offset at or after a timestamp (never past the high watermark). */
    void offsets(Answer answer, OffsetsRequest req) {
        LogView log = replica.log();
        if (req.timestamp() < 0) {
            answer.reply(new OffsetsResponse(log.logStartOffset(), replica.highWatermark(), log.logEndOffset(), -1));
            return;
        }
        CompletableFuture<Long> lookup = CompletableFuture.supplyAsync(() -> log.offsetForTimestamp(req.timestamp()),
                readExecutor);
        Future.fromCompletionStage(lookup, context).onComplete(ar -> {
            confinement.check();
            if (ar.failed()) {
                Answer.fail(answer, ar.cause(), tp);
                return;
            }
            long hw = replica.highWatermark();
            long found = ar.result();
            long offset = found < 0 || found > hw ? hw : found;
            answer.reply(new OffsetsResponse(log.logStartOffset(), hw, log.logEndOffset(), offset));
        });
    }
}

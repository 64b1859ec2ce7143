package io.sluice.partition;

import io.sluice.common.Clock;
import io.sluice.common.Confinement;
import io.sluice.common.ErrorCode;
import io.sluice.bus.FetchRequest;
import io.sluice.bus.FetchResponse;
import io.sluice.bus.LeaderEpochRequest;
import io.sluice.bus.LeaderEpochResponse;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.sluice.log.LeaderEpochCache;
import io.sluice.log.LogView;
import io.sluice.log.LogWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.function.LongConsumer;

/**
 * A follower's replication loop for one leader epoch: first cuts any tail the leader never had
 * (asking the leader where the follower's latest epoch ended there), then fetches from its log
 * end over and over, long-polling the leader, appending what comes back as it is (offsets,
 * epochs, producer ids), and learning the leader's high watermark. Stops when the partition
 * changes role or epoch. Confined to the partition's event loop: the partition checks its calls,
 * and the answers, appends and retries of the loop check here.
 */
final class FollowerFetcher {
    private static final System.Logger LOG = System.getLogger(FollowerFetcher.class.getName());
    private static final long RETRY_MS = 100;

    private final Vertx vertx;
    private final TopicPartition tp;
    private final String self;
    private final String leader;
    private final int epoch;
    /** Read for offsets and epochs; truncations and appends go through {@link #writer}. */
    private final LogView log;
    private final LogWriter writer;
    private final int maxBytes;
    private final long maxWaitMs;
    private final LongConsumer onLeaderHighWatermark;
    private final Confinement confinement;
    /** Its monotonic time stamps the leader's answers (for {@code /replicas}). */
    private final Clock clock;
    private boolean stopped;
    /** Failed fetches in a row: the first of a streak and its end are logged, not every retry. */
    private int failedInARow;
    /** What the loop is doing now, the offset it last asked for, and when the leader last answered: for {@code /replicas}. */
    private String phase = "starting";
    private long lastFetchOffset = -1;
    private long lastAnswerMs;
    private long fetches;
    private String lastError;

    FollowerFetcher(Vertx vertx, TopicPartition tp, String self, String leader, int epoch, LogWriter writer,
                    int maxBytes, long maxWaitMs, LongConsumer onLeaderHighWatermark, Confinement confinement,
                    Clock clock) {
        this.vertx = vertx;
        this.tp = tp;
        this.self = self;
        this.leader = leader;
        this.epoch = epoch;
        this.log = writer.log();
        this.writer = writer;
        this.maxBytes = maxBytes;
        this.maxWaitMs = maxWaitMs;
        this.onLeaderHighWatermark = onLeaderHighWatermark;
        this.confinement = confinement;
        this.clock = clock;
    }

    void start() {
        confinement.check();
        truncateToLeader().onComplete(ar -> {
            confinement.check();
            if (ar.failed()) {
                retry(this::start, ar.cause());
            } else {
                fetch();
            }
        });
    }

    void stop() {
        confinement.check();
        stopped = true;
        phase = "stopped";
    }

    /** The loop's state, for diagnostics. */
    ReplicaStatus.Following describe(long now) {
        return new ReplicaStatus.Following(leader, epoch, phase, lastFetchOffset, fetches,
                lastAnswerMs == 0 ? null : now - lastAnswerMs, failedInARow, lastError);
    }

    /** Truncates the local tail that diverged from the leader's log (KIP-101/279). */
    private Future<Void> truncateToLeader() {
        if (stopped) {
            return Future.succeededFuture();
        }
        int latest = log.leaderEpochCache().latestEpoch();
        if (latest == LeaderEpochCache.UNDEFINED_EPOCH) {
            return Future.succeededFuture();
        }
        phase = "asking the leader where epoch " + latest + " ends";
        return vertx.eventBus().<LeaderEpochResponse>request(ReplicaEndpoint.address(leader), new LeaderEpochRequest(tp, latest),
                new DeliveryOptions().setSendTimeout(10_000)).compose(m -> {
            confinement.check();
            LeaderEpochResponse r = m.body();
            lastAnswerMs = clock.monotonicMillis();
            phase = "truncating";
            long end = log.logEndOffset();
            long target;
            if (r.epoch() == LeaderEpochCache.UNDEFINED_EPOCH) {
                // The leader knows no epoch this old: its log starts after everything we have.
                return Future.fromCompletionStage(writer.truncateFullyAndStartAt(r.logStartOffset()),
                        vertx.getOrCreateContext());
            } else if (r.epoch() == latest) {
                target = Math.min(r.endOffset(), end);
            } else {
                long mine = log.leaderEpochCache().endOffsetFor(r.epoch(), end).endOffset();
                target = Math.min(r.endOffset(), mine);
            }
            if (target >= end) {
                return Future.succeededFuture();
            }
            LOG.log(System.Logger.Level.INFO, tp + ": truncating to " + target + " (log end " + end + ") to match leader " + leader
                    + " in epoch " + epoch);
            return Future.fromCompletionStage(writer.truncateTo(target), vertx.getOrCreateContext());
        });
    }

    private void fetch() {
        confinement.check();
        if (stopped) {
            return;
        }
        long offset = log.logEndOffset();
        phase = "fetching";
        lastFetchOffset = offset;
        fetches++;
        FetchRequest req = new FetchRequest(tp, offset, maxBytes, maxWaitMs, self, epoch);
        vertx.eventBus().<FetchResponse>request(ReplicaEndpoint.address(leader), req,
                new DeliveryOptions().setSendTimeout(maxWaitMs + 10_000)).onComplete(ar -> {
            confinement.check();
            if (stopped) {
                return;
            }
            if (ar.failed()) {
                onFetchError(ar.cause());
                return;
            }
            lastAnswerMs = clock.monotonicMillis();
            if (failedInARow > 0) {
                LOG.log(System.Logger.Level.INFO, tp + ": fetching from " + leader + " again after " + failedInARow + " failed attempts");
                failedInARow = 0;
            }
            FetchResponse resp = ar.result().body();
            if (!resp.records().hasRemaining()) {
                onLeaderHighWatermark.accept(resp.highWatermark());
                fetch();
                return;
            }
            phase = "appending";
            Future.fromCompletionStage(writer.appendAsFollower(resp.records()), vertx.getOrCreateContext()).onComplete(appended -> {
                confinement.check();
                if (stopped) {
                    return;
                }
                if (appended.failed()) {
                    retry(this::start, appended.cause());
                    return;
                }
                onLeaderHighWatermark.accept(resp.highWatermark());
                fetch();
            });
        });
    }

    private void onFetchError(Throwable cause) {
        ErrorCode code = cause instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
                ? ErrorCode.fromCode(re.failureCode()) : ErrorCode.UNAVAILABLE;
        if (code == ErrorCode.OFFSET_OUT_OF_RANGE) {
            // Our log end is past the leader's (a tail to cut) or before its start (retention ran).
            retry(this::start, cause);
        } else {
            retry(this::fetch, cause);
        }
    }

    private void retry(Runnable step, Throwable cause) {
        if (stopped) {
            return;
        }
        phase = "backing off";
        lastError = String.valueOf(cause);
        if (failedInARow++ == 0) {
            LOG.log(System.Logger.Level.INFO, tp + ": fetch from " + leader + " failed, retrying: " + cause);
        }
        vertx.setTimer(RETRY_MS, id -> {
            confinement.check();
            step.run();
        });
    }
}

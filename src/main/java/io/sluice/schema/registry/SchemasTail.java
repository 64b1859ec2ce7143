package io.sluice.schema.registry;

import io.sluice.bus.FetchRequest;
import io.sluice.bus.OffsetsRequest;
import io.sluice.bus.TopicPartition;
import io.sluice.common.ErrorCode;
import io.sluice.common.Failures;
import io.sluice.common.SluiceException;
import io.sluice.log.LogReadResult;
import io.sluice.partition.PartitionClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps a node's {@link RegistryState} up to date with {@code _schemas}-0: replays the partition
 * from its start, then tails it with long-polling fetches from its leader (which answer as soon as
 * the high watermark moves), applying every record in order. Waiters ({@link #reach}) are told once
 * every record below an offset has been applied: that is how a write's answer and a read wait for
 * the copy to hold what they need.
 *
 * <p>Confined to the context of the verticle that owns it (its fetch callbacks and timers run there).
 */
final class SchemasTail {
    private static final System.Logger LOG = System.getLogger(SchemasTail.class.getName());
    static final TopicPartition PARTITION = new TopicPartition(SchemasTopic.NAME, 0);
    private static final long POLL_WAIT_MS = 1_000;
    private static final long RETRY_MS = 100;
    private static final int MAX_BYTES = 1 << 20;

    private final Vertx vertx;
    private final PartitionClient partitions;
    private final RegistryState state;
    /** The next offset to read: every record below it is applied. */
    private long next;
    private boolean running;
    private boolean stopped;
    private final TreeMap<Long, List<Promise<Void>>> waiters = new TreeMap<>();

    SchemasTail(Vertx vertx, PartitionClient partitions, RegistryState state) {
        this.vertx = vertx;
        this.partitions = partitions;
        this.state = state;
    }

    /** Starts tailing (once the topic exists); later calls do nothing. */
    void start() {
        if (!running && !stopped) {
            running = true;
            poll();
        }
    }

    void stop() {
        stopped = true;
    }

    long applied() {
        return next;
    }

    /** Completes once every record below {@code offset} is applied. */
    Future<Void> reach(long offset) {
        if (next >= offset) {
            return Future.succeededFuture();
        }
        Promise<Void> p = Promise.promise();
        waiters.computeIfAbsent(offset, o -> new ArrayList<>()).add(p);
        return p.future();
    }

    private void poll() {
        if (stopped) {
            return;
        }
        long from = next;
        partitions.fetch(FetchRequest.consumer(PARTITION, from, MAX_BYTES, POLL_WAIT_MS)).onComplete(ar -> {
            if (ar.failed()) {
                SluiceException e = Failures.toSluice(ar.cause());
                if (e.code() == ErrorCode.OFFSET_OUT_OF_RANGE) {
                    // The log was cut below what this copy applied (an unclean election): what it holds
                    // may no longer be the log's, so it is read again from the start.
                    LOG.log(System.Logger.Level.WARNING, PARTITION + " no longer holds offset " + from + ": replaying it");
                    partitions.offsets(new OffsetsRequest(PARTITION, OffsetsRequest.NO_TIMESTAMP)).onComplete(o -> {
                        if (o.succeeded()) {
                            state.clear();
                            next = o.result().logStartOffset();
                        }
                        vertx.setTimer(RETRY_MS, id -> poll());
                    });
                    return;
                }
                LOG.log(System.Logger.Level.DEBUG, "fetch of " + PARTITION + " at " + from + " failed: " + e.getMessage());
                vertx.setTimer(RETRY_MS, id -> poll());
                return;
            }
            LogReadResult data = new LogReadResult(ar.result().records(), from, ar.result().logStartOffset(),
                    ar.result().logEndOffset());
            long after = data.forEachRecord(Integer.MAX_VALUE, c -> {
                if (c.keySize() < 0) {
                    return;
                }
                try {
                    state.apply(SchemasTopic.decode(c.keyBytes(), c.valueSize() < 0 ? null : c.valueBytes()));
                } catch (RuntimeException e) {
                    // Only the registry writes this topic; one record it cannot read must not stop every later one.
                    LOG.log(System.Logger.Level.WARNING, "skipping an unreadable record of " + PARTITION + " at offset "
                            + c.offset() + ": " + e.getMessage());
                }
            });
            if (after == from && !data.isEmpty()) {
                after = data.nextOffset();
            }
            advance(after);
            poll();
        });
    }

    private void advance(long to) {
        if (to <= next) {
            return;
        }
        next = to;
        Map<Long, List<Promise<Void>>> done = waiters.headMap(next, true);
        List<Promise<Void>> ready = new ArrayList<>();
        done.values().forEach(ready::addAll);
        done.clear();
        ready.forEach(Promise::tryComplete);
    }
}

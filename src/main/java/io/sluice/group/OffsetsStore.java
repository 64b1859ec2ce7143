package io.sluice.group;

import io.sluice.produce.ProducerRecord;
import io.sluice.api.json.ProduceParser;
import io.sluice.api.json.RecordFormat;
import io.sluice.bus.Acks;
import io.sluice.common.ErrorCode;
import io.sluice.bus.FetchRequest;
import io.sluice.bus.OffsetsRequest;
import io.sluice.bus.OffsetsResponse;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.MetadataCache;
import io.sluice.common.Monotonic;
import io.sluice.cluster.TopicMetadata;
import io.sluice.log.LogReadResult;
import io.sluice.partition.PartitionClient;
import io.sluice.produce.ProduceOutcome;
import io.sluice.produce.ProduceService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads and writes the coordinator's state in {@link OffsetsTopic}: commits and group records
 * are produced with {@code acks=all} (so they survive a failover of the offsets partition), and a
 * coordinator that takes over a partition replays it to rebuild its groups.
 */
public final class OffsetsStore {
    private static final long WRITE_TIMEOUT_MS = 30_000;

    /** How long a coordinator that takes a partition over waits for its log end to be committed, polling. */
    private static final long COMMIT_WAIT_MS = 10_000;
    private static final long COMMIT_POLL_MS = 20;

    private final io.vertx.core.Vertx vertx;
    private final MetadataCache metadata;
    private final PartitionClient partitions;
    private final ProduceService produce;
    private final ProduceParser parser;

    public OffsetsStore(io.vertx.core.Vertx vertx, MetadataCache metadata, PartitionClient partitions, ProduceService produce,
                        ProduceParser parser) {
        this.vertx = vertx;
        this.metadata = metadata;
        this.partitions = partitions;
        this.produce = produce;
        this.parser = parser;
    }

    int partitionCount() {
        TopicMetadata t = metadata.current().topic(OffsetsTopic.NAME);
        if (t == null) {
            throw new SluiceException(ErrorCode.COORDINATOR_LOADING, "the offsets topic is not created yet");
        }
        return t.partitionCount();
    }

    int partitionFor(String group) {
        return OffsetsTopic.partitionFor(group, partitionCount());
    }

    /** Writes offset commits of {@code group} (a null offset deletes the commit). */
    Future<Void> writeOffsets(String group, Map<TopicPartition, Long> offsets) {
        int p = partitionFor(group);
        long now = System.currentTimeMillis();
        List<byte[]> lines = new ArrayList<>();
        offsets.forEach((tp, offset) -> lines.add(OffsetsTopic.record(p, OffsetsTopic.offsetKey(group, tp),
                offset == null ? null : OffsetsTopic.offsetValue(offset, now))));
        return write(lines);
    }

    /** Writes the group record (null value: the group is deleted). */
    Future<Void> writeGroup(String group, JsonObject value) {
        int p = partitionFor(group);
        return write(List.of(OffsetsTopic.record(p, OffsetsTopic.groupKey(group), value)));
    }

    private Future<Void> write(List<byte[]> lines) {
        List<ProducerRecord> records = new ArrayList<>(lines.size());
        for (byte[] line : lines) {
            records.add(parser.parseRecord(line, 0, line.length, RecordFormat.JSON));
        }
        TopicMetadata topic = metadata.topic(OffsetsTopic.NAME);
        return produce.produce(topic, records, Acks.ALL, WRITE_TIMEOUT_MS, null).compose(this::checked);
    }

    private Future<Void> checked(ProduceOutcome outcome) {
        ErrorCode worst = outcome.worstError();
        if (worst != null) {
            return Future.failedFuture(new SluiceException(worst, "could not store to " + OffsetsTopic.NAME));
        }
        return Future.succeededFuture();
    }

    /**
     * Replays offsets partition {@code p} from its start to its high watermark, handing every
     * record's decoded key and value (null for a tombstone) to {@code apply}.
     */
    Future<Void> replay(int p, Function<JsonObject[], Void> apply) {
        TopicPartition tp = new TopicPartition(OffsetsTopic.NAME, p);
        return partitions.offsets(new OffsetsRequest(tp, OffsetsRequest.NO_TIMESTAMP))
                .compose(o -> committedUpTo(tp, o.logEndOffset(), Monotonic.millis() + COMMIT_WAIT_MS))
                .compose(o -> {
                    Promise<Void> done = Promise.promise();
                    readFrom(tp, o.logStartOffset(), o.highWatermark(), apply, done);
                    return done.future();
                });
    }

    /**
     * The partition's offsets once its high watermark has reached {@code logEnd}. A leader that has
     * just taken over may know an older high watermark than its predecessor did: records it holds
     * above it were acknowledged (an offset commit answered) but are not visible yet. Reading only to
     * that high watermark would load offsets older than ones already committed; the new coordinator
     * waits until its followers have confirmed everything it holds (Raft's rule: a new leader
     * serves once an entry of its own term is committed).
     */
    private Future<OffsetsResponse> committedUpTo(TopicPartition tp, long logEnd, long deadline) {
        return partitions.offsets(new OffsetsRequest(tp, OffsetsRequest.NO_TIMESTAMP)).compose(o -> {
            if (o.highWatermark() >= logEnd) {
                return Future.succeededFuture(o);
            }
            if (Monotonic.millis() >= deadline) {
                return Future.failedFuture(new SluiceException(ErrorCode.COORDINATOR_LOADING, tp + " has not committed its log end "
                        + logEnd + " yet (high watermark " + o.highWatermark() + ")"));
            }
            Promise<OffsetsResponse> later = Promise.promise();
            vertx.setTimer(COMMIT_POLL_MS, id -> committedUpTo(tp, logEnd, deadline).onComplete(later));
            return later.future();
        });
    }

    private void readFrom(TopicPartition tp, long offset, long end, Function<JsonObject[], Void> apply, Promise<Void> done) {
        if (offset >= end) {
            done.complete();
            return;
        }
        partitions.fetch(FetchRequest.consumer(tp, offset, 1 << 20, 0)).onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
                return;
            }
            LogReadResult data = new LogReadResult(ar.result().records(), offset, ar.result().logStartOffset(),
                    ar.result().logEndOffset());
            long next = data.forEachRecord(Integer.MAX_VALUE, c -> {
                if (c.keySize() < 0) {
                    return;
                }
                JsonObject key = new JsonObject(new String(c.keyBytes(), java.nio.charset.StandardCharsets.UTF_8));
                JsonObject value = c.valueSize() < 0 ? null
                        : new JsonObject(new String(c.valueBytes(), java.nio.charset.StandardCharsets.UTF_8));
                apply.apply(new JsonObject[] {key, value});
            });
            readFrom(tp, Math.max(next, offset + 1), end, apply, done);
        });
    }
}

package io.sluice.group;

import io.sluice.bus.Acks;
import io.sluice.common.ErrorCode;
import io.sluice.bus.FetchRequest;
import io.sluice.bus.OffsetsRequest;
import io.sluice.bus.OffsetsResponse;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.MetadataCache;
import io.sluice.common.Clock;
import io.sluice.cluster.TopicMetadata;
import io.sluice.log.LogReadResult;
import io.sluice.partition.PartitionClient;
import io.sluice.produce.ProduceOutcome;
import io.sluice.produce.ProduceService;
import io.sluice.produce.ProducerRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the coordinator's state in {@link OffsetsTopic}: commits and group records
 * (encoded by {@link OffsetsTopicCodec}) are produced with {@code acks=all} (so they survive a
 * failover of the offsets partition), and a coordinator that takes over a partition replays it to
 * rebuild its groups.
 */
public final class OffsetsStore {
    private static final System.Logger LOG = System.getLogger(OffsetsStore.class.getName());

    private static final long WRITE_TIMEOUT_MS = 30_000;

    /** How long a coordinator that takes a partition over waits for its log end to be committed, polling. */
    private static final long COMMIT_WAIT_MS = 10_000;
    private static final long COMMIT_POLL_MS = 20;

    private final io.vertx.core.Vertx vertx;
    private final MetadataCache metadata;
    private final PartitionClient partitions;
    private final ProduceService produce;
    /** Commits stamped with its wall time; the wait for a log end to be committed on its monotonic time. */
    private final Clock clock;
    /**
     * The leader epoch in which the coordinator loaded each offsets partition it coordinates: its
     * writes to the partition are fenced by it (see {@link io.sluice.bus.ProduceRequest#leaderEpoch}).
     */
    private final Map<Integer, Integer> loadedEpochs = new java.util.concurrent.ConcurrentHashMap<>();

    /** What a replay hands over, record by record, in log order. */
    interface Replay {
        /** The commit of {@code group} on {@code tp}; null: the commit was deleted. */
        void offsetCommit(String group, TopicPartition tp, OffsetsTopicCodec.OffsetCommit commit);

        /** The group document of {@code group} ({@link OffsetsTopic#groupValue}); null: the group was deleted. */
        void groupMetadata(String group, JsonObject value);
    }

    public OffsetsStore(io.vertx.core.Vertx vertx, MetadataCache metadata, PartitionClient partitions, ProduceService produce,
                        Clock clock) {
        this.clock = clock;
        this.vertx = vertx;
        this.metadata = metadata;
        this.partitions = partitions;
        this.produce = produce;
    }

    /** The coordinator loaded partition {@code p} in leader epoch {@code epoch}: its writes there need it. */
    void loaded(int p, int epoch) {
        loadedEpochs.put(p, epoch);
    }

    /** The coordinator gave up partition {@code p}: nothing more is written there in its name. */
    void unloaded(int p) {
        loadedEpochs.remove(p);
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

    /**
     * Writes offset commits of {@code group} (a null offset deletes the commit, under the key of
     * earlier versions too: see {@link OffsetsTopicCodec}).
     */
    Future<Void> writeOffsets(String group, Map<TopicPartition, Long> offsets) {
        int p = partitionFor(group);
        long now = clock.wallMillis();
        List<ProducerRecord> records = new ArrayList<>();
        offsets.forEach((tp, offset) -> {
            if (offset == null) {
                records.add(record(p, OffsetsTopicCodec.offsetKey(group, tp), null));
                records.add(record(p, OffsetsTopicCodec.legacyOffsetKey(group, tp), null));
            } else {
                records.add(record(p, OffsetsTopicCodec.offsetKey(group, tp), OffsetsTopicCodec.offsetValue(
                        new OffsetsTopicCodec.OffsetCommit(offset, OffsetsTopicCodec.NO_LEADER_EPOCH, "", now))));
            }
        });
        return write(p, records);
    }

    /** Writes the group record (null value: the group is deleted, under the key of earlier versions too). */
    Future<Void> writeGroup(String group, JsonObject value) {
        int p = partitionFor(group);
        if (value == null) {
            return write(p, List.of(record(p, OffsetsTopicCodec.groupKey(group), null),
                    record(p, OffsetsTopicCodec.legacyGroupKey(group), null)));
        }
        return write(p, List.of(record(p, OffsetsTopicCodec.groupKey(group), OffsetsTopicCodec.groupValue(value))));
    }

    /** A record for offsets partition {@code p}; the broker stamps its timestamp. */
    private static ProducerRecord record(int p, byte[] key, byte[] value) {
        return new ProducerRecord(key, 0, key.length, value, 0, value == null ? -1 : value.length, List.of(),
                ProducerRecord.ABSENT, p, ProducerRecord.ABSENT, (short) 0, ProducerRecord.ABSENT, 0);
    }

    private Future<Void> write(int p, List<ProducerRecord> records) {
        TopicMetadata topic = metadata.topic(OffsetsTopic.NAME);
        Integer epoch = loadedEpochs.get(p);
        if (epoch == null) {
            return Future.failedFuture(new SluiceException(ErrorCode.NOT_COORDINATOR,
                    "this node no longer coordinates the groups of " + OffsetsTopic.NAME + "-" + p));
        }
        return produce.produceInEpoch(topic, records, WRITE_TIMEOUT_MS, epoch).compose(this::checked);
    }

    private Future<Void> checked(ProduceOutcome outcome) {
        ErrorCode worst = outcome.worstError();
        if (worst == ErrorCode.FENCED_LEADER_EPOCH || worst == ErrorCode.NOT_LEADER) {
            // The partition moved on without this coordinator: the member asks the next one (Kafka's NOT_COORDINATOR).
            return Future.failedFuture(new SluiceException(ErrorCode.NOT_COORDINATOR, "this node no longer coordinates the group: "
                    + OffsetsTopic.NAME + " has another leader or leader epoch"));
        }
        if (worst != null) {
            return Future.failedFuture(new SluiceException(worst, "could not store to " + OffsetsTopic.NAME));
        }
        return Future.succeededFuture();
    }

    /**
     * Replays offsets partition {@code p} from its start to its high watermark, handing every
     * record, decoded, to {@code apply}; a record that does not decode is skipped (and logged).
     */
    Future<Void> replay(int p, Replay apply) {
        TopicPartition tp = new TopicPartition(OffsetsTopic.NAME, p);
        return partitions.offsets(new OffsetsRequest(tp, OffsetsRequest.NO_TIMESTAMP))
                .compose(o -> committedUpTo(tp, o.logEndOffset(), clock.monotonicMillis() + COMMIT_WAIT_MS))
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
            if (clock.monotonicMillis() >= deadline) {
                return Future.failedFuture(new SluiceException(ErrorCode.COORDINATOR_LOADING, tp + " has not committed its log end "
                        + logEnd + " yet (high watermark " + o.highWatermark() + ")"));
            }
            Promise<OffsetsResponse> later = Promise.promise();
            vertx.setTimer(COMMIT_POLL_MS, id -> committedUpTo(tp, logEnd, deadline).onComplete(later));
            return later.future();
        });
    }

    private void readFrom(TopicPartition tp, long offset, long end, Replay apply, Promise<Void> done) {
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
                byte[] value = c.valueSize() < 0 ? null : c.valueBytes();
                try {
                    apply(OffsetsTopicCodec.decodeKey(c.keyBytes()), value, apply);
                } catch (IllegalArgumentException e) {
                    // Only the broker writes this topic; a record it cannot read must not keep the
                    // coordinator from loading every other group of the partition.
                    LOG.log(System.Logger.Level.WARNING, "skipping an unreadable record of " + tp + " at offset "
                            + c.offset() + ": " + e.getMessage());
                }
            });
            readFrom(tp, Math.max(next, offset + 1), end, apply, done);
        });
    }

    private static void apply(OffsetsTopicCodec.Key key, byte[] value, Replay apply) {
        if (key instanceof OffsetsTopicCodec.OffsetKey k) {
            apply.offsetCommit(k.group(), k.tp(), value == null ? null : OffsetsTopicCodec.decodeOffsetValue(value));
        } else if (key instanceof OffsetsTopicCodec.GroupKey k) {
            apply.groupMetadata(k.group(), value == null ? null : OffsetsTopicCodec.decodeGroupValue(value));
        }
    }
}

package io.sluice.produce;

import io.sluice.bus.Acks;
import io.sluice.common.ErrorCode;
import io.sluice.bus.ProduceRequest;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the records of one produce call into one {@link ProduceRequest} per partition, and
 * remembers where each record went so that answers come back in the caller's order.
 *
 * <p>Partition: the record's own {@code partition}, else Kafka's murmur2 of the key, else a
 * partition chosen once per call for all keyless records (Kafka's sticky partitioning: one batch
 * instead of many tiny ones), which with an {@code Idempotency-Key} is derived from that key so
 * that a retry goes to the same place. Batches: records of a partition in call order, cut where a
 * batch would pass {@code max.message.bytes} and where an idempotent producer's sequence run
 * breaks. An {@code Idempotency-Key} makes the call an idempotent producer of its own, numbering
 * each partition's records from 0, so that the log recognises a retried call as a duplicate.
 */
public final class ProducePlan {
    /** Idempotency-Key producer ids live above this; clients' own ids stay below. */
    static final long KEY_PRODUCER_BASE = 1L << 62;

    private final List<ProduceRequest> requests = new ArrayList<>();
    /** Per record: index of its request in {@link #requests}. */
    private final int[] requestOf;
    /** Per record: index of its batch in the request. */
    private final int[] batchOf;
    /** Per record: its offset delta in the batch. */
    private final int[] indexInBatch;
    private final int[] partitionOf;
    private final long bytes;

    private ProducePlan(int records, long bytes) {
        requestOf = new int[records];
        batchOf = new int[records];
        indexInBatch = new int[records];
        partitionOf = new int[records];
        this.bytes = bytes;
    }

    public List<ProduceRequest> requests() {
        return requests;
    }

    public int recordCount() {
        return partitionOf.length;
    }

    public int partitionOf(int record) {
        return partitionOf[record];
    }

    public int requestOf(int record) {
        return requestOf[record];
    }

    public int batchOf(int record) {
        return batchOf[record];
    }

    public int indexInBatch(int record) {
        return indexInBatch[record];
    }

    /** Key and value bytes of all records, for metrics. */
    public long bytes() {
        return bytes;
    }

    /**
     * Plans {@code records} for {@code topic}.
     *
     * @param stickyPartition partition for keyless records without {@code partition}
     * @throws SluiceException UNKNOWN_PARTITION for a record naming a partition the topic lacks,
     *                         RECORD_TOO_LARGE for a record that cannot fit in a batch
     */
    public static ProducePlan of(String topic, int partitions, List<ProducerRecord> records, Acks acks, long timeoutMs,
                                 long now, int maxBatchBytes, String idempotencyKey, int stickyPartition) {
        int n = records.size();
        long bytes = 0;
        int[] target = new int[n];
        for (int i = 0; i < n; i++) {
            ProducerRecord r = records.get(i);
            int p = r.partition();
            if (p == ProducerRecord.ABSENT) {
                p = r.keyLength() >= 0
                        ? Partitioner.partitionForKey(r.keyArray(), r.keyOffset(), r.keyLength(), partitions)
                        : stickyPartition;
            } else if (p >= partitions) {
                throw new SluiceException(ErrorCode.UNKNOWN_PARTITION, "record " + i + ": topic '" + topic
                        + "' has no partition " + p + " (it has " + partitions + ")");
            }
            if (RecordBatch.HEADER_SIZE + r.estimatedSize() > maxBatchBytes) {
                throw new SluiceException(ErrorCode.RECORD_TOO_LARGE, "record " + i + " is about " + r.estimatedSize()
                        + " bytes; max.message.bytes of topic '" + topic + "' is " + maxBatchBytes);
            }
            target[i] = p;
            bytes += Math.max(0, r.keyLength()) + Math.max(0, r.valueLength());
        }
        ProducePlan plan = new ProducePlan(n, bytes);
        long keyProducer = idempotencyKey == null ? -1 : keyProducerId(idempotencyKey);
        // Records grouped by partition (a counting sort, in call order within each partition),
        // without boxing: this runs for every record of every produce call.
        int[] requestForPartition = new int[partitions];
        java.util.Arrays.fill(requestForPartition, -1);
        int[] partitionOfRequest = new int[Math.min(n, partitions)];
        int[] starts = new int[Math.min(n, partitions) + 1];
        int requestCount = 0;
        for (int i = 0; i < n; i++) {
            int p = target[i];
            if (requestForPartition[p] < 0) {
                requestForPartition[p] = requestCount;
                partitionOfRequest[requestCount++] = p;
            }
            starts[requestForPartition[p] + 1]++;
        }
        for (int req = 0; req < requestCount; req++) {
            starts[req + 1] += starts[req];
        }
        int[] order = new int[n];
        int[] fill = java.util.Arrays.copyOf(starts, requestCount);
        for (int i = 0; i < n; i++) {
            order[fill[requestForPartition[target[i]]]++] = i;
        }
        for (int req = 0; req < requestCount; req++) {
            int partition = partitionOfRequest[req];
            List<RecordBatch> batches = new ArrayList<>();
            BatchCutter cutter = new BatchCutter(maxBatchBytes);
            for (int k = starts[req]; k < starts[req + 1]; k++) {
                cutter.remaining += records.get(order[k]).estimatedSize();
            }
            int keySequence = 0;
            for (int k = starts[req]; k < starts[req + 1]; k++) {
                int i = order[k];
                ProducerRecord r = records.get(i);
                if (keyProducer >= 0) {
                    r = r.withProducer(keyProducer, (short) 0, keySequence++);
                }
                if (cutter.needsNewBatch(r)) {
                    cutter.finish(batches);
                    cutter.start(r);
                }
                plan.requestOf[i] = req;
                plan.batchOf[i] = batches.size();
                plan.indexInBatch[i] = cutter.count();
                plan.partitionOf[i] = partition;
                cutter.add(r, now);
            }
            cutter.finish(batches);
            plan.requests.add(new ProduceRequest(new TopicPartition(topic, partition), batches, acks, timeoutMs));
        }
        return plan;
    }

    /** The producer id an {@code Idempotency-Key} stands for. */
    static long keyProducerId(String key) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L;
        for (byte x : b) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        // splitmix64 finaliser: FNV alone leaves the high bits weak.
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return KEY_PRODUCER_BASE | (h & (KEY_PRODUCER_BASE - 1));
    }

    /** Accumulates one partition's records into batches, cutting where a batch must end. */
    private static final class BatchCutter {
        private final int maxBytes;
        /** Estimated bytes of the records not yet added: sizes the next batch's buffer. */
        long remaining;
        private RecordBatchBuilder builder;
        private long producerId = -1;
        private short epoch;
        private int nextSequence;

        BatchCutter(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        int count() {
            return builder == null ? 0 : builder.recordCount();
        }

        boolean needsNewBatch(ProducerRecord r) {
            if (builder == null) {
                start(r);
                return false;
            }
            if (builder.sizeInBytes() + r.estimatedSize() > maxBytes) {
                return true;
            }
            if (r.producerId() != producerId) {
                return true;
            }
            return r.producerId() >= 0 && (r.producerEpoch() != epoch || r.sequence() != nextSequence);
        }

        void start(ProducerRecord r) {
            builder = new RecordBatchBuilder((int) Math.min(maxBytes, RecordBatch.HEADER_SIZE + remaining));
            producerId = r.producerId();
            epoch = r.producerEpoch();
            if (producerId >= 0) {
                builder.producer(producerId, epoch, r.sequence());
                nextSequence = r.sequence();
            }
        }

        void add(ProducerRecord r, long now) {
            r.appendTo(builder, now);
            remaining -= r.estimatedSize();
            if (producerId >= 0) {
                nextSequence = r.sequence() + 1;
            }
        }

        void finish(List<RecordBatch> out) {
            if (builder != null && builder.recordCount() > 0) {
                out.add(builder.build());
            }
            builder = null;
        }
    }
}

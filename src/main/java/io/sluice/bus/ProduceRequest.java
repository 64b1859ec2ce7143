package io.sluice.bus;

import io.sluice.record.RecordBatch;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches for one partition, sent to its leader. The leader stamps offsets into the batches'
 * buffers, so a request belongs to its receiver once sent.
 *
 * @param timeoutMs   how long the leader may wait for {@code acks=all} before answering with a timeout
 * @param leaderEpoch the leader epoch the writer requires ({@link #ANY_EPOCH}: whichever): a group
 *                    coordinator writes only under the epoch in which it loaded its partition, so a
 *                    deposed coordinator's write, retried towards the next leader, cannot land behind
 *                    the back of the coordinator that loaded the partition since (Kafka's coordinator
 *                    runtime fences its writes by partition epoch the same way)
 */
public record ProduceRequest(TopicPartition tp, List<RecordBatch> batches, Acks acks, long timeoutMs, int leaderEpoch) implements PartitionRequest {
    public static final int ANY_EPOCH = -1;

    public ProduceRequest(TopicPartition tp, List<RecordBatch> batches, Acks acks, long timeoutMs) {
        this(tp, batches, acks, timeoutMs, ANY_EPOCH);
    }

    /** This request, to be written only under {@code epoch}. */
    public ProduceRequest inEpoch(int epoch) {
        return new ProduceRequest(tp, batches, acks, timeoutMs, epoch);
    }

    /** The bytes of all its batches. */
    public long sizeInBytes() {
        long bytes = 0;
        for (RecordBatch b : batches) {
            bytes += b.sizeInBytes();
        }
        return bytes;
    }

    public static final class Codec extends BusCodec<ProduceRequest> {
        public Codec() {
            super(ProduceRequest.class);
        }

        @Override
        protected void write(Buffer out, ProduceRequest m) {
            Wire.writeString(out, m.tp.topic());
            out.appendInt(m.tp.partition()).appendByte((byte) m.acks.ordinal()).appendLong(m.timeoutMs).appendInt(m.leaderEpoch);
            out.appendInt(m.batches.size());
            for (RecordBatch b : m.batches) {
                ByteBuffer region = b.buffer().duplicate();
                region.limit(b.start() + b.sizeInBytes()).position(b.start());
                Wire.writeBytes(out, region);
            }
        }

        @Override
        protected ProduceRequest read(Wire.Reader in) {
            TopicPartition tp = new TopicPartition(in.readString(), in.readInt());
            Acks acks = Acks.values()[in.readByte()];
            long timeout = in.readLong();
            int epoch = in.readInt();
            int n = in.readInt();
            List<RecordBatch> batches = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batches.add(RecordBatch.at(in.readBytes(), 0));
            }
            return new ProduceRequest(tp, batches, acks, timeout, epoch);
        }
    }
}

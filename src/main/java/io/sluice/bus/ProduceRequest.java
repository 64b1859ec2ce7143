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
 * @param timeoutMs how long the leader may wait for {@code acks=all} before answering with a timeout
 */
public record ProduceRequest(TopicPartition tp, List<RecordBatch> batches, Acks acks, long timeoutMs) {

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
            out.appendInt(m.tp.partition()).appendByte((byte) m.acks.ordinal()).appendLong(m.timeoutMs);
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
            int n = in.readInt();
            List<RecordBatch> batches = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batches.add(RecordBatch.at(in.readBytes(), 0));
            }
            return new ProduceRequest(tp, batches, acks, timeout);
        }
    }
}

package io.sluice.bus;

import io.vertx.core.buffer.Buffer;

/**
 * Asks a partition for its offsets and, when {@code timestamp} ≥ 0, for the first offset whose
 * record timestamp is at or after it.
 */
public record OffsetsRequest(TopicPartition tp, long timestamp) implements PartitionRequest {
    public static final long NO_TIMESTAMP = -1;

    public static final class Codec extends BusCodec<OffsetsRequest> {
        public Codec() {
            super(OffsetsRequest.class);
        }

        @Override
        protected void write(Buffer out, OffsetsRequest m) {
            Wire.writeString(out, m.tp.topic());
            out.appendInt(m.tp.partition()).appendLong(m.timestamp);
        }

        @Override
        protected OffsetsRequest read(Wire.Reader in) {
            return new OffsetsRequest(new TopicPartition(in.readString(), in.readInt()), in.readLong());
        }
    }
}

package io.sluice.bus;

import io.vertx.core.buffer.Buffer;

/**
 * A returning follower asks the leader where {@code epoch} (its latest) ended in the leader's
 * log, to cut any tail it wrote that the leader never had (Kafka's OffsetsForLeaderEpoch).
 */
public record LeaderEpochRequest(TopicPartition tp, int epoch) implements PartitionRequest {

    public static final class Codec extends BusCodec<LeaderEpochRequest> {
        public Codec() {
            super(LeaderEpochRequest.class);
        }

        @Override
        protected void write(Buffer out, LeaderEpochRequest m) {
            Wire.writeString(out, m.tp.topic());
            out.appendInt(m.tp.partition()).appendInt(m.epoch);
        }

        @Override
        protected LeaderEpochRequest read(Wire.Reader in) {
            return new LeaderEpochRequest(new TopicPartition(in.readString(), in.readInt()), in.readInt());
        }
    }
}

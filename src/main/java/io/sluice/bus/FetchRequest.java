package io.sluice.bus;

import io.vertx.core.buffer.Buffer;

/**
 * A read of one partition from {@code offset}: answered at once when records are there, else
 * when some arrive or {@code maxWaitMs} passes (a long poll).
 *
 * @param replicaId the fetching follower's node id, or null for a consumer; a consumer reads only
 *                  below the high watermark, a follower up to the log end
 * @param replicaEpoch the leader epoch the follower believes current (-1 for consumers)
 */
public record FetchRequest(TopicPartition tp, long offset, int maxBytes, long maxWaitMs, String replicaId,
                           int replicaEpoch) implements PartitionRequest {

    public static FetchRequest consumer(TopicPartition tp, long offset, int maxBytes, long maxWaitMs) {
        return new FetchRequest(tp, offset, maxBytes, maxWaitMs, null, -1);
    }

    public boolean fromFollower() {
        return replicaId != null;
    }

    public static final class Codec extends BusCodec<FetchRequest> {
        public Codec() {
            super(FetchRequest.class);
        }

        @Override
        protected void write(Buffer out, FetchRequest m) {
            Wire.writeString(out, m.tp.topic());
            out.appendInt(m.tp.partition()).appendLong(m.offset).appendInt(m.maxBytes).appendLong(m.maxWaitMs);
            Wire.writeString(out, m.replicaId);
            out.appendInt(m.replicaEpoch);
        }

        @Override
        protected FetchRequest read(Wire.Reader in) {
            return new FetchRequest(new TopicPartition(in.readString(), in.readInt()), in.readLong(), in.readInt(),
                    in.readLong(), in.readString(), in.readInt());
        }
    }
}

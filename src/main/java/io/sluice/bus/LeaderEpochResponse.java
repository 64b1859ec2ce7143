package io.sluice.bus;

import io.vertx.core.buffer.Buffer;

/**
 * The largest epoch at or below the one asked for, and the offset where it ended in the
 * leader's log (-1 / -1 when the leader knows no such epoch), with the leader's log start.
 */
public record LeaderEpochResponse(int epoch, long endOffset, long logStartOffset) {

    public static final class Codec extends BusCodec<LeaderEpochResponse> {
        public Codec() {
            super(LeaderEpochResponse.class);
        }

        @Override
        protected void write(Buffer out, LeaderEpochResponse m) {
            out.appendInt(m.epoch).appendLong(m.endOffset).appendLong(m.logStartOffset);
        }

        @Override
        protected LeaderEpochResponse read(Wire.Reader in) {
            return new LeaderEpochResponse(in.readInt(), in.readLong(), in.readLong());
        }
    }
}

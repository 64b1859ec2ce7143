package io.sluice.bus;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;

/**
 * Whole batches read from a partition (the first may start before the requested offset) and the
 * partition's offsets when they were read.
 */
public record FetchResponse(ByteBuffer records, long fetchOffset, long highWatermark, long logStartOffset,
                            long logEndOffset, int leaderEpoch) {

    public static final class Codec extends BusCodec<FetchResponse> {
        public Codec() {
            super(FetchResponse.class);
        }

        @Override
        protected void write(Buffer out, FetchResponse m) {
            out.appendLong(m.fetchOffset).appendLong(m.highWatermark).appendLong(m.logStartOffset)
                    .appendLong(m.logEndOffset).appendInt(m.leaderEpoch);
            Wire.writeBytes(out, m.records);
        }

        @Override
        protected FetchResponse read(Wire.Reader in) {
            long fetchOffset = in.readLong();
            long hw = in.readLong();
            long start = in.readLong();
            long end = in.readLong();
            int epoch = in.readInt();
            return new FetchResponse(in.readBytes(), fetchOffset, hw, start, end, epoch);
        }
    }
}

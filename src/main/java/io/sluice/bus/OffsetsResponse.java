package io.sluice.bus;

import io.vertx.core.buffer.Buffer;

/**
 * A partition's offsets; {@code timestampOffset} is the answer to a timestamp lookup (the high
 * watermark when every record is older), or -1 when none was asked.
 */
public record OffsetsResponse(long logStartOffset, long highWatermark, long logEndOffset, long timestampOffset) {

    public static final class Codec extends BusCodec<OffsetsResponse> {
        public Codec() {
            super(OffsetsResponse.class);
        }

        @Override
        protected void write(Buffer out, OffsetsResponse m) {
            out.appendLong(m.logStartOffset).appendLong(m.highWatermark).appendLong(m.logEndOffset)
                    .appendLong(m.timestampOffset);
        }

        @Override
        protected OffsetsResponse read(Wire.Reader in) {
            return new OffsetsResponse(in.readLong(), in.readLong(), in.readLong(), in.readLong());
        }
    }
}

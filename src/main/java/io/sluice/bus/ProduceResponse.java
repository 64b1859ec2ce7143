package io.sluice.bus;

import io.sluice.common.ErrorCode;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/** The leader's answer to a {@link ProduceRequest}: one result per batch, in order. */
public record ProduceResponse(List<BatchResult> results) {

    /**
     * Offsets a batch received, or the error that kept it out ({@code error} null on success).
     * A duplicate of an idempotent batch carries the offsets it got the first time.
     */
    public record BatchResult(long firstOffset, long logAppendTime, ErrorCode error, String message) {
        public static BatchResult failed(ErrorCode error, String message) {
            return new BatchResult(-1, -1, error, message);
        }
    }

    public static final class Codec extends BusCodec<ProduceResponse> {
        public Codec() {
            super(ProduceResponse.class);
        }

        @Override
        protected void write(Buffer out, ProduceResponse m) {
            out.appendInt(m.results.size());
            for (BatchResult r : m.results) {
                out.appendLong(r.firstOffset()).appendLong(r.logAppendTime()).appendInt(r.error() == null ? 0 : r.error().code());
                Wire.writeString(out, r.message());
            }
        }

        @Override
        protected ProduceResponse read(Wire.Reader in) {
            int n = in.readInt();
            List<BatchResult> results = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long first = in.readLong();
                long appendTime = in.readLong();
                int code = in.readInt();
                String message = in.readString();
                results.add(new BatchResult(first, appendTime, code == 0 ? null : ErrorCode.fromCode(code), message));
            }
            return new ProduceResponse(results);
        }
    }
}

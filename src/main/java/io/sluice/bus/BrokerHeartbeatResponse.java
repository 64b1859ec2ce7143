package io.sluice.bus;

import io.vertx.core.buffer.Buffer;

/**
 * The controller's answer to a heartbeat: its epoch and the metadata version it has committed,
 * and whether it grants the broker a lease: only a controller whose quorum leadership was
 * confirmed moments ago grants one, and never to an incarnation whose unclean start it has not
 * acted on yet.
 */
public record BrokerHeartbeatResponse(long controllerEpoch, long metadataVersion, boolean leaseGranted) {

    public static final class Codec extends BusCodec<BrokerHeartbeatResponse> {
        public Codec() {
            super(BrokerHeartbeatResponse.class);
        }

        @Override
        protected void write(Buffer out, BrokerHeartbeatResponse m) {
            out.appendLong(m.controllerEpoch).appendLong(m.metadataVersion).appendByte((byte) (m.leaseGranted ? 1 : 0));
        }

        @Override
        protected BrokerHeartbeatResponse read(Wire.Reader in) {
            return new BrokerHeartbeatResponse(in.readLong(), in.readLong(), in.readByte() == 1);
        }
    }
}

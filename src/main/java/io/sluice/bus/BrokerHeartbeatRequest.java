package io.sluice.bus;

import io.vertx.core.buffer.Buffer;

/**
 * A broker renews its lease with the controller (Kafka's BrokerHeartbeat). {@code incarnation}
 * tells one start of the node from the next; {@code uncleanStart} says that this start followed an
 * unclean shutdown (a crash or power loss: records the node acknowledged may be gone from its disk),
 * so the controller must take it out of every ISR before it serves anything again.
 */
public record BrokerHeartbeatRequest(String nodeId, long incarnation, boolean uncleanStart) {

    public static final class Codec extends BusCodec<BrokerHeartbeatRequest> {
        public Codec() {
            super(BrokerHeartbeatRequest.class);
        }

        @Override
        protected void write(Buffer out, BrokerHeartbeatRequest m) {
            Wire.writeString(out, m.nodeId);
            out.appendLong(m.incarnation).appendByte((byte) (m.uncleanStart ? 1 : 0));
        }

        @Override
        protected BrokerHeartbeatRequest read(Wire.Reader in) {
            return new BrokerHeartbeatRequest(in.readString(), in.readLong(), in.readByte() == 1);
        }
    }
}

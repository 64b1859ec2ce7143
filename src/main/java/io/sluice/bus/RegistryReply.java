package io.sluice.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

/**
 * The schema registry leader's answer to a {@link RegistryCommand}: the API's JSON answer, or a
 * Confluent error ({@code errorCode} non-zero, Confluent's number, with its message). Registry
 * errors travel here, not as bus failure codes, because Confluent's numbers overlap
 * {@link io.sluice.common.ErrorCode}'s; a bus failure of a registry command is always a Sluice
 * error (not the leader, no answer).
 *
 * @param json the answer's JSON text (an object, array or number), when {@code errorCode} is 0
 */
public record RegistryReply(int errorCode, String message, String json) {
    public static RegistryReply ok(Object answer) {
        return new RegistryReply(0, null, Json.encode(answer));
    }

    public static RegistryReply error(int code, String message) {
        return new RegistryReply(code, message, null);
    }

    public static final class Codec extends BusCodec<RegistryReply> {
        public Codec() {
            super(RegistryReply.class);
        }

        @Override
        protected void write(Buffer out, RegistryReply r) {
            out.appendInt(r.errorCode());
            Wire.writeString(out, r.message());
            Wire.writeString(out, r.json());
        }

        @Override
        protected RegistryReply read(Wire.Reader in) {
            return new RegistryReply(in.readInt(), in.readString(), in.readString());
        }
    }
}

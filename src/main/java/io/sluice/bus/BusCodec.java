package io.sluice.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Base of Sluice's event-bus codecs: a binary wire form between nodes and no copy inside a node.
 * {@link #transform} hands the sender's object to the local receiver as is: every bus message
 * is immutable, or (record batches) owned by whoever holds it last, since senders never touch a
 * message again after sending it.
 */
public abstract class BusCodec<T> implements MessageCodec<T, T> {
    private final String name;

    protected BusCodec(Class<T> type) {
        this.name = "sluice." + type.getSimpleName();
    }

    protected abstract void write(Buffer out, T message);

    protected abstract T read(Wire.Reader in);

    @Override
    public final void encodeToWire(Buffer buffer, T message) {
        Buffer body = Buffer.buffer();
        write(body, message);
        buffer.appendInt(body.length()).appendBuffer(body);
    }

    @Override
    public final T decodeFromWire(int pos, Buffer buffer) {
        return read(new Wire.Reader(buffer, pos + 4));
    }

    @Override
    public final T transform(T message) {
        return message;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final byte systemCodecID() {
        return -1;
    }
}

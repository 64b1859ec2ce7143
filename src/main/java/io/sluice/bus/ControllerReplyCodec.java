package io.sluice.bus;

import io.sluice.bus.ControllerReply.AclsDeleted;
import io.sluice.bus.ControllerReply.Committed;
import io.sluice.bus.ControllerReply.MetadataImage;
import io.sluice.bus.ControllerReply.VotersChanged;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;

/**
 * The wire form of the {@link ControllerReply}s, one instance per record type: a tag byte, then
 * the fields. A body whose tag is unknown, or is not the type the codec was registered for, is
 * refused with an {@link IllegalArgumentException}.
 */
public final class ControllerReplyCodec<T extends ControllerReply> extends BusCodec<T> {
    private static final byte COMMITTED = 1;
    private static final byte METADATA_IMAGE = 2;
    private static final byte VOTERS_CHANGED = 3;
    private static final byte ACLS_DELETED = 4;

    private final Class<T> type;

    public ControllerReplyCodec(Class<T> type) {
        super(type);
        this.type = type;
    }

    @Override
    protected void write(Buffer out, T reply) {
        if (reply instanceof Committed c) {
            out.appendByte(COMMITTED).appendLong(c.metadataVersion());
        } else if (reply instanceof MetadataImage m) {
            out.appendByte(METADATA_IMAGE).appendLong(m.version());
            Wire.writeBytes(out, ByteBuffer.wrap(m.metadata()));
        } else if (reply instanceof VotersChanged v) {
            out.appendByte(VOTERS_CHANGED);
            Wire.writeStrings(out, v.voters());
        } else if (reply instanceof AclsDeleted d) {
            out.appendByte(ACLS_DELETED).appendLong(d.metadataVersion());
            Wire.writeString(out, SecurityJson.write(d.deleted()));
        } else {
            throw new IllegalArgumentException("no wire form for " + reply.getClass().getName());
        }
    }

    @Override
    protected T read(Wire.Reader in) {
        byte tag = in.readByte();
        ControllerReply reply = switch (tag) {
            case COMMITTED -> new Committed(in.readLong());
            case METADATA_IMAGE -> new MetadataImage(in.readLong(), in.readBytes().array());
            case VOTERS_CHANGED -> new VotersChanged(in.readStrings());
            case ACLS_DELETED -> new AclsDeleted(in.readLong(), SecurityJson.read(in.readString(), SecurityJson.ACLS));
            default -> throw new IllegalArgumentException("unknown controller reply tag " + tag);
        };
        if (!type.isInstance(reply)) {
            throw new IllegalArgumentException("a " + reply.getClass().getSimpleName() + " where a "
                    + type.getSimpleName() + " was expected");
        }
        return type.cast(reply);
    }
}

package io.sluice.bus;

import io.sluice.bus.GroupReply.Done;
import io.sluice.bus.GroupReply.GroupDeleted;
import io.sluice.bus.GroupReply.GroupDescription;
import io.sluice.bus.GroupReply.GroupListing;
import io.sluice.bus.GroupReply.GroupOffsets;
import io.sluice.bus.GroupReply.HeartbeatAck;
import io.sluice.bus.GroupReply.Joined;
import io.sluice.bus.GroupReply.ListedGroup;
import io.sluice.bus.GroupReply.MemberDescription;
import io.sluice.bus.GroupReply.OffsetsCommitted;
import io.sluice.bus.GroupReply.PartitionDescription;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of the {@link GroupReply}s, one instance per record type: a tag byte, then the
 * fields; a value that may be unknown (an offset, a high watermark) is a presence byte, then the
 * value. A body whose tag is unknown, or is not the type the codec was registered for, is refused
 * with an {@link IllegalArgumentException}.
 */
public final class GroupReplyCodec<T extends GroupReply> extends BusCodec<T> {
    private static final byte JOINED = 1;
    private static final byte HEARTBEAT_ACK = 2;
    private static final byte DONE = 3;
    private static final byte OFFSETS_COMMITTED = 4;
    private static final byte GROUP_OFFSETS = 5;
    private static final byte GROUP_DESCRIPTION = 6;
    private static final byte GROUP_LISTING = 7;
    private static final byte GROUP_DELETED = 8;

    private final Class<T> type;

    public GroupReplyCodec(Class<T> type) {
        super(type);
        this.type = type;
    }

    @Override
    protected void write(Buffer out, T reply) {
        if (reply instanceof Joined j) {
            out.appendByte(JOINED);
            Wire.writeString(out, j.memberId());
        } else if (reply instanceof HeartbeatAck h) {
            out.appendByte(HEARTBEAT_ACK).appendInt(h.generation());
        } else if (reply instanceof Done) {
            out.appendByte(DONE);
        } else if (reply instanceof OffsetsCommitted c) {
            out.appendByte(OFFSETS_COMMITTED);
            Wire.writeOffsets(out, c.offsets());
        } else if (reply instanceof GroupOffsets o) {
            out.appendByte(GROUP_OFFSETS);
            Wire.writeString(out, o.groupId());
            Wire.writeOffsets(out, o.offsets());
        } else if (reply instanceof GroupDescription d) {
            out.appendByte(GROUP_DESCRIPTION);
            writeDescription(out, d);
        } else if (reply instanceof GroupListing l) {
            out.appendByte(GROUP_LISTING).appendInt(l.groups().size());
            for (ListedGroup g : l.groups()) {
                Wire.writeString(out, g.groupId());
                Wire.writeString(out, g.state());
                out.appendInt(g.members());
                Wire.writeString(out, g.coordinator());
            }
        } else if (reply instanceof GroupDeleted d) {
            out.appendByte(GROUP_DELETED);
            Wire.writeString(out, d.groupId());
        } else {
            throw new IllegalArgumentException("no wire form for " + reply.getClass().getName());
        }
    }

    private static void writeDescription(Buffer out, GroupDescription d) {
        Wire.writeString(out, d.groupId());
        Wire.writeString(out, d.state());
        out.appendInt(d.generation());
        Wire.writeString(out, d.assignor());
        out.appendInt(d.members().size());
        for (MemberDescription m : d.members()) {
            Wire.writeString(out, m.memberId());
            Wire.writeString(out, m.node());
            Wire.writeString(out, m.client());
            Wire.writeStrings(out, m.subscription());
            Wire.writePartitions(out, m.assignment());
        }
        out.appendInt(d.offsets().size());
        for (PartitionDescription p : d.offsets()) {
            Wire.writeTopicPartition(out, p.tp());
            writeOptional(out, p.committedOffset());
            writeOptional(out, p.highWatermark());
            Wire.writeString(out, p.owner());
        }
    }

    @Override
    protected T read(Wire.Reader in) {
        byte tag = in.readByte();
        GroupReply reply = switch (tag) {
            case JOINED -> new Joined(in.readString());
            case HEARTBEAT_ACK -> new HeartbeatAck(in.readInt());
            case DONE -> new Done();
            case OFFSETS_COMMITTED -> new OffsetsCommitted(in.readOffsets());
            case GROUP_OFFSETS -> new GroupOffsets(in.readString(), in.readOffsets());
            case GROUP_DESCRIPTION -> readDescription(in);
            case GROUP_LISTING -> {
                int n = in.readCount("groups");
                List<ListedGroup> groups = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    groups.add(new ListedGroup(in.readString(), in.readString(), in.readInt(), in.readString()));
                }
                yield new GroupListing(groups);
            }
            case GROUP_DELETED -> new GroupDeleted(in.readString());
            default -> throw new IllegalArgumentException("unknown group reply tag " + tag);
        };
        if (!type.isInstance(reply)) {
            throw new IllegalArgumentException("a " + reply.getClass().getSimpleName() + " where a "
                    + type.getSimpleName() + " was expected");
        }
        return type.cast(reply);
    }

    private static GroupDescription readDescription(Wire.Reader in) {
        String groupId = in.readString();
        String state = in.readString();
        int generation = in.readInt();
        String assignor = in.readString();
        int n = in.readCount("members");
        List<MemberDescription> members = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            members.add(new MemberDescription(in.readString(), in.readString(), in.readString(), in.readStrings(),
                    in.readPartitions()));
        }
        int p = in.readCount("partitions");
        List<PartitionDescription> offsets = new ArrayList<>(Math.min(p, 1024));
        for (int i = 0; i < p; i++) {
            offsets.add(new PartitionDescription(in.readTopicPartition(), readOptional(in), readOptional(in), in.readString()));
        }
        return new GroupDescription(groupId, state, generation, assignor, members, offsets);
    }

    private static void writeOptional(Buffer out, Long value) {
        out.appendByte((byte) (value == null ? 0 : 1));
        if (value != null) {
            out.appendLong(value);
        }
    }

    private static Long readOptional(Wire.Reader in) {
        return in.readBoolean() ? in.readLong() : null;
    }
}

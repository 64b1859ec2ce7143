package io.sluice.bus;

import io.sluice.bus.GroupRequest.DeleteGroup;
import io.sluice.bus.GroupRequest.DescribeGroup;
import io.sluice.bus.GroupRequest.Heartbeat;
import io.sluice.bus.GroupRequest.JoinGroup;
import io.sluice.bus.GroupRequest.LeaveGroup;
import io.sluice.bus.GroupRequest.ListGroups;
import io.sluice.bus.GroupRequest.OffsetCommit;
import io.sluice.bus.GroupRequest.OffsetFetch;
import io.sluice.bus.GroupRequest.ResetOffsets;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * The wire form of the {@link GroupRequest}s, one instance per record type (the bus finds a codec
 * by the body's class): a tag byte, then the fields, the group and coordinator epoch first. A body
 * whose tag is unknown, or is not the type the codec was registered for, is refused with an
 * {@link IllegalArgumentException}.
 */
public final class GroupRequestCodec<T extends GroupRequest<?>> extends BusCodec<T> {
    private static final byte JOIN_GROUP = 1;
    private static final byte HEARTBEAT = 2;
    private static final byte OFFSET_COMMIT = 3;
    private static final byte LEAVE_GROUP = 4;
    private static final byte DESCRIBE_GROUP = 5;
    private static final byte OFFSET_FETCH = 6;
    private static final byte DELETE_GROUP = 7;
    private static final byte RESET_OFFSETS = 8;
    private static final byte LIST_GROUPS = 9;

    private final Class<T> type;

    public GroupRequestCodec(Class<T> type) {
        super(type);
        this.type = type;
    }

    @Override
    protected void write(Buffer out, T request) {
        // (Java 17: no pattern switch; the round-trip test covers every permitted type.)
        if (request instanceof JoinGroup j) {
            forGroup(out, JOIN_GROUP, j);
            Wire.writeString(out, j.memberAddress());
            Wire.writeString(out, j.node());
            Wire.writeString(out, j.client());
            Wire.writeStrings(out, j.topics());
            Wire.writeString(out, j.assignor());
            out.appendLong(j.sessionTimeoutMs());
            Wire.writeString(out, j.principal());
            Wire.writeString(out, j.host());
        } else if (request instanceof Heartbeat h) {
            forGroup(out, HEARTBEAT, h);
            Wire.writeString(out, h.memberId());
        } else if (request instanceof OffsetCommit c) {
            forGroup(out, OFFSET_COMMIT, c);
            Wire.writeString(out, c.memberId());
            Wire.writeOffsets(out, c.offsets());
        } else if (request instanceof LeaveGroup l) {
            forGroup(out, LEAVE_GROUP, l);
            Wire.writeString(out, l.memberId());
        } else if (request instanceof DescribeGroup d) {
            forGroup(out, DESCRIBE_GROUP, d);
        } else if (request instanceof OffsetFetch f) {
            forGroup(out, OFFSET_FETCH, f);
        } else if (request instanceof DeleteGroup d) {
            forGroup(out, DELETE_GROUP, d);
        } else if (request instanceof ResetOffsets r) {
            forGroup(out, RESET_OFFSETS, r);
            out.appendLong(r.timestamp());
            // null topics (the partitions the group committed) differ from no topics (none at all)
            out.appendByte((byte) (r.topics() == null ? 0 : 1));
            if (r.topics() != null) {
                Wire.writeStrings(out, r.topics());
            }
            Wire.writeOffsets(out, r.exact());
        } else if (request instanceof ListGroups) {
            out.appendByte(LIST_GROUPS);
        } else {
            throw new IllegalArgumentException("no wire form for " + request.getClass().getName());
        }
    }

    private static void forGroup(Buffer out, byte tag, GroupRequest.ForGroup<?> request) {
        out.appendByte(tag);
        Wire.writeString(out, request.group());
        out.appendInt(request.coordinatorEpoch());
    }

    @Override
    protected T read(Wire.Reader in) {
        byte tag = in.readByte();
        if (tag == LIST_GROUPS) {
            return checked(new ListGroups());
        }
        if (tag < JOIN_GROUP || tag > RESET_OFFSETS) {
            // (Before reading a group: an unknown tag is refused as such, not as a short body.)
            throw new IllegalArgumentException("unknown group request tag " + tag);
        }
        String group = in.readString();
        int epoch = in.readInt();
        GroupRequest<?> request = switch (tag) {
            case JOIN_GROUP -> new JoinGroup(group, epoch, in.readString(), in.readString(), in.readString(), in.readStrings(),
                    in.readString(), in.readLong(), in.readString(), in.readString());
            case HEARTBEAT -> new Heartbeat(group, epoch, in.readString());
            case OFFSET_COMMIT -> new OffsetCommit(group, epoch, in.readString(), in.readOffsets());
            case LEAVE_GROUP -> new LeaveGroup(group, epoch, in.readString());
            case DESCRIBE_GROUP -> new DescribeGroup(group, epoch);
            case OFFSET_FETCH -> new OffsetFetch(group, epoch);
            case DELETE_GROUP -> new DeleteGroup(group, epoch);
            case RESET_OFFSETS -> {
                long timestamp = in.readLong();
                List<String> topics = in.readBoolean() ? in.readStrings() : null;
                yield new ResetOffsets(group, epoch, timestamp, topics, in.readOffsets());
            }
            default -> throw new IllegalArgumentException("unknown group request tag " + tag);
        };
        return checked(request);
    }

    private T checked(GroupRequest<?> request) {
        if (!type.isInstance(request)) {
            throw new IllegalArgumentException("a " + request.getClass().getSimpleName() + " where a "
                    + type.getSimpleName() + " was expected");
        }
        return type.cast(request);
    }
}

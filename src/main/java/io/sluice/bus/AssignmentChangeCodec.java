package io.sluice.bus;

import io.sluice.bus.AssignmentChange.AssignedPartition;
import io.sluice.bus.AssignmentChange.PartitionsAssigned;
import io.sluice.bus.AssignmentChange.PartitionsRevoked;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of the {@link AssignmentChange}s, one instance per record type: a tag byte, the
 * member and generation, then the partitions. A body whose tag is unknown, or is not the type the
 * codec was registered for, is refused with an {@link IllegalArgumentException}.
 */
public final class AssignmentChangeCodec<T extends AssignmentChange> extends BusCodec<T> {
    private static final byte PARTITIONS_REVOKED = 1;
    private static final byte PARTITIONS_ASSIGNED = 2;

    private final Class<T> type;

    public AssignmentChangeCodec(Class<T> type) {
        super(type);
        this.type = type;
    }

    @Override
    protected void write(Buffer out, T change) {
        if (change instanceof PartitionsRevoked r) {
            out.appendByte(PARTITIONS_REVOKED);
            Wire.writeString(out, r.memberId());
            out.appendInt(r.generation());
            Wire.writePartitions(out, r.partitions());
        } else if (change instanceof PartitionsAssigned a) {
            out.appendByte(PARTITIONS_ASSIGNED);
            Wire.writeString(out, a.memberId());
            out.appendInt(a.generation()).appendInt(a.partitions().size());
            for (AssignedPartition p : a.partitions()) {
                Wire.writeTopicPartition(out, p.tp());
                out.appendLong(p.committedOffset()).appendByte((byte) (p.kept() ? 1 : 0));
            }
        } else {
            throw new IllegalArgumentException("no wire form for " + change.getClass().getName());
        }
    }

    @Override
    protected T read(Wire.Reader in) {
        byte tag = in.readByte();
        AssignmentChange change = switch (tag) {
            case PARTITIONS_REVOKED -> new PartitionsRevoked(in.readString(), in.readInt(), in.readPartitions());
            case PARTITIONS_ASSIGNED -> {
                String memberId = in.readString();
                int generation = in.readInt();
                int n = in.readCount("partitions");
                List<AssignedPartition> partitions = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    partitions.add(new AssignedPartition(in.readTopicPartition(), in.readLong(), in.readBoolean()));
                }
                yield new PartitionsAssigned(memberId, generation, partitions);
            }
            default -> throw new IllegalArgumentException("unknown assignment change tag " + tag);
        };
        if (!type.isInstance(change)) {
            throw new IllegalArgumentException("a " + change.getClass().getSimpleName() + " where a "
                    + type.getSimpleName() + " was expected");
        }
        return type.cast(change);
    }
}

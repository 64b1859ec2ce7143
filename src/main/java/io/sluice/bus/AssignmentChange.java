package io.sluice.bus;

import java.util.List;

/**
 * What a group coordinator tells a member during a rebalance, at the bus address the member gave
 * in its {@link GroupRequest.JoinGroup}; the member answers {@link GroupReply.Done} once it has
 * applied it. Named after Kafka's rebalance callbacks: a member first gives partitions up
 * ({@link PartitionsRevoked}), and only once every such member confirmed is anyone given them
 * ({@link PartitionsAssigned}), so that two members never read a partition at once. Both name the
 * member they are for: a socket ignores what was meant for a membership it no longer has.
 *
 * <p>Every permitted record travels with {@link AssignmentChangeCodec}, registered for each of them
 * by {@link BusCodecs}.
 */
public sealed interface AssignmentChange {
    String memberId();

    int generation();

    /** Member {@code memberId} stops reading {@code partitions}, for {@code generation}. */
    record PartitionsRevoked(String memberId, int generation, List<TopicPartition> partitions) implements AssignmentChange {
        public PartitionsRevoked {
            partitions = List.copyOf(partitions);
        }
    }

    /** Member {@code memberId} reads exactly {@code partitions} in {@code generation}. */
    record PartitionsAssigned(String memberId, int generation, List<AssignedPartition> partitions) implements AssignmentChange {
        public PartitionsAssigned {
            partitions = List.copyOf(partitions);
        }
    }

    /**
     * A partition of an assignment: the group's committed offset ({@link #NO_OFFSET}: none), and
     * whether the member held it in the generation before ({@code kept}: it goes on from where it
     * stands, if it still reads it).
     */
    record AssignedPartition(TopicPartition tp, long committedOffset, boolean kept) {
        public static final long NO_OFFSET = -1;
    }
}

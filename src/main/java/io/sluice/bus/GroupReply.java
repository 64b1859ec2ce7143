package io.sluice.bus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An answer in the group protocol: a coordinator's to a {@link GroupRequest} (each request names
 * its reply type), or a member's confirmation of an {@link AssignmentChange} ({@link Done}).
 * Failures are not replies: they travel as the bus's failure, with their error code.
 *
 * <p>Every permitted record travels with {@link GroupReplyCodec}, registered for each of them by
 * {@link BusCodecs}. The records nested here that do not implement this interface are parts of
 * replies.
 */
public sealed interface GroupReply {

    /** A member joined; {@code memberId} names it in every later request. */
    record Joined(String memberId) implements GroupReply {
    }

    /** A heartbeat was taken; the group is in {@code generation}. */
    record HeartbeatAck(int generation) implements GroupReply {
    }

    /** Done, with nothing to tell: a member left, or applied an {@link AssignmentChange}. */
    record Done() implements GroupReply {
    }

    /** The offsets stored, in the order they were asked for. */
    record OffsetsCommitted(Map<TopicPartition, Long> offsets) implements GroupReply {
        public OffsetsCommitted {
            offsets = ordered(offsets);
        }
    }

    /** The committed offsets of group {@code groupId}, in partition order. */
    record GroupOffsets(String groupId, Map<TopicPartition, Long> offsets) implements GroupReply {
        public GroupOffsets {
            offsets = ordered(offsets);
        }
    }

    /**
     * A group as its coordinator holds it: {@code state} in Kafka's words (Empty, Stable...), the
     * generation and assignor, the members, and every partition that is committed or assigned.
     */
    record GroupDescription(String groupId, String state, int generation, String assignor, List<MemberDescription> members,
                            List<PartitionDescription> offsets) implements GroupReply {
        public GroupDescription {
            members = List.copyOf(members);
            offsets = List.copyOf(offsets);
        }
    }

    /** A member of a described group: where it runs, whom for, what it reads and what it is assigned. */
    record MemberDescription(String memberId, String node, String client, List<String> subscription,
                             List<TopicPartition> assignment) {
        public MemberDescription {
            subscription = List.copyOf(subscription);
            assignment = List.copyOf(assignment);
        }
    }

    /**
     * A partition of a described group: its committed offset and high watermark (each null when
     * unknown: nothing committed, or the partition did not answer), and the member owning it (null:
     * none).
     */
    record PartitionDescription(TopicPartition tp, Long committedOffset, Long highWatermark, String owner) {
        /** The records not consumed yet (from the start when nothing is committed); null with no high watermark. */
        public Long lag() {
            return highWatermark == null ? null : Math.max(0, highWatermark - (committedOffset == null ? 0 : committedOffset));
        }
    }

    /** The groups one coordinator holds. */
    record GroupListing(List<ListedGroup> groups) implements GroupReply {
        public GroupListing {
            groups = List.copyOf(groups);
        }
    }

    /** A group in a {@link GroupListing}: its state, member count and coordinating node. */
    record ListedGroup(String groupId, String state, int members, String coordinator) {
    }

    /** Group {@code groupId} and its committed offsets were deleted. */
    record GroupDeleted(String groupId) implements GroupReply {
    }

    /** An unmodifiable copy that keeps the order of the offsets. */
    private static Map<TopicPartition, Long> ordered(Map<TopicPartition, Long> offsets) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(offsets));
    }
}

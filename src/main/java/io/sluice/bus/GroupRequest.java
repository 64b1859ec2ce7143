package io.sluice.bus;

import io.sluice.bus.GroupReply.Done;
import io.sluice.bus.GroupReply.GroupDeleted;
import io.sluice.bus.GroupReply.GroupDescription;
import io.sluice.bus.GroupReply.GroupListing;
import io.sluice.bus.GroupReply.GroupOffsets;
import io.sluice.bus.GroupReply.HeartbeatAck;
import io.sluice.bus.GroupReply.Joined;
import io.sluice.bus.GroupReply.OffsetsCommitted;
import io.vertx.core.Future;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a group member (a consumer socket) or an operator asks of a group coordinator, one record
 * per request, named after Kafka's group APIs and answered with the {@link GroupReply} of the type
 * parameter. Every request but {@link ListGroups} concerns one group and goes to its coordinator
 * ({@link ForGroup}). The records hold what was asked, already typed; whether it may be done (the
 * member exists, the group is empty, the partitions exist) the coordinator decides, and refuses
 * with a 4xx. Failures are not replies: they travel as the bus's failure, with their error code.
 *
 * <p>Every permitted record travels with {@link GroupRequestCodec}, registered for each of them by
 * {@link BusCodecs}.
 */
public sealed interface GroupRequest<R extends GroupReply> {
    /** For {@link ForGroup#coordinatorEpoch}: the sender names no epoch (an operator's tool on the node). */
    int ANY_EPOCH = -1;

    /** Calls the method of {@code handler} for this request's type. */
    Future<R> accept(Handler handler);

    /**
     * One method per request, each answering with its request's reply type: whoever handles group
     * requests implements every one, checked by the compiler (Java 17 has no pattern switch over a
     * sealed type).
     */
    interface Handler {
        Future<Joined> joinGroup(JoinGroup request);

        Future<HeartbeatAck> heartbeat(Heartbeat request);

        Future<OffsetsCommitted> offsetCommit(OffsetCommit request);

        Future<Done> leaveGroup(LeaveGroup request);

        Future<GroupDescription> describeGroup(DescribeGroup request);

        Future<GroupOffsets> offsetFetch(OffsetFetch request);

        Future<GroupDeleted> deleteGroup(DeleteGroup request);

        Future<OffsetsCommitted> resetOffsets(ResetOffsets request);

        Future<GroupListing> listGroups(ListGroups request);
    }

    /**
     * A request about one group, for the coordinator of the group's offsets partition. It names the
     * leader epoch of that partition in which the sender took the coordinator to lead it: a
     * coordinator of any other epoch refuses it with NOT_COORDINATOR, as Kafka fences requests by
     * leader epoch, so that a copy delivered late (held in a connection to a node that was cut off)
     * is not applied after what was asked for since.
     */
    interface ForGroup<R extends GroupReply> {
        String group();

        /** The leader epoch of the group's offsets partition the request is for, or {@link #ANY_EPOCH}. */
        int coordinatorEpoch();

        /** This request, for the coordinator that leads in {@code epoch}. */
        GroupRequest<R> inCoordinatorEpoch(int epoch);
    }

    /**
     * A consumer socket joins {@code group} (Kafka's JoinGroup): it takes the coordinator's
     * {@link AssignmentChange}s at bus address {@code memberAddress}, runs on node {@code node} for
     * the client at {@code client}, reads {@code topics} (names or patterns), asks for assignor
     * {@code assignor}, and is dropped when silent for {@code sessionTimeoutMs}. With security on,
     * {@code principal} ({@code User:alice}) and {@code host} are who the socket acts for, already
     * authenticated by the node it is on: the coordinator assigns it only partitions of topics it
     * may READ (null while security is off).
     */
    record JoinGroup(String group, int coordinatorEpoch, String memberAddress, String node, String client,
                     List<String> topics, String assignor, long sessionTimeoutMs, String principal, String host)
            implements GroupRequest<Joined>, ForGroup<Joined> {
        public JoinGroup {
            topics = List.copyOf(topics);
        }

        public JoinGroup(String group, int coordinatorEpoch, String memberAddress, String node, String client,
                         List<String> topics, String assignor, long sessionTimeoutMs) {
            this(group, coordinatorEpoch, memberAddress, node, client, topics, assignor, sessionTimeoutMs, null, null);
        }

        public JoinGroup(String group, String memberAddress, String node, String client, List<String> topics,
                         String assignor, long sessionTimeoutMs) {
            this(group, ANY_EPOCH, memberAddress, node, client, topics, assignor, sessionTimeoutMs, null, null);
        }

        /** This join on behalf of {@code principal} from {@code host}. */
        public JoinGroup actingFor(String principal, String host) {
            return new JoinGroup(group, coordinatorEpoch, memberAddress, node, client, topics, assignor, sessionTimeoutMs,
                    principal, host);
        }

        @Override
        public JoinGroup inCoordinatorEpoch(int epoch) {
            return new JoinGroup(group, epoch, memberAddress, node, client, topics, assignor, sessionTimeoutMs, principal, host);
        }

        @Override
        public Future<Joined> accept(Handler handler) {
            return handler.joinGroup(this);
        }
    }

    /** Member {@code memberId} of {@code group} is alive (Kafka's Heartbeat). */
    record Heartbeat(String group, int coordinatorEpoch, String memberId)
            implements GroupRequest<HeartbeatAck>, ForGroup<HeartbeatAck> {
        public Heartbeat(String group, String memberId) {
            this(group, ANY_EPOCH, memberId);
        }

        @Override
        public Heartbeat inCoordinatorEpoch(int epoch) {
            return new Heartbeat(group, epoch, memberId);
        }

        @Override
        public Future<HeartbeatAck> accept(Handler handler) {
            return handler.heartbeat(this);
        }
    }

    /**
     * Commits {@code offsets} for {@code group} (Kafka's OffsetCommit): from member {@code memberId},
     * for partitions it owns; or, with no member ({@code memberId} null), from an operator, to a
     * group that has no members (as Kafka's admin client commits with no member id).
     */
    record OffsetCommit(String group, int coordinatorEpoch, String memberId, Map<TopicPartition, Long> offsets)
            implements GroupRequest<OffsetsCommitted>, ForGroup<OffsetsCommitted> {
        public OffsetCommit {
            offsets = ordered(offsets);
        }

        public OffsetCommit(String group, String memberId, Map<TopicPartition, Long> offsets) {
            this(group, ANY_EPOCH, memberId, offsets);
        }

        /** An operator's commit: no member's. */
        public static OffsetCommit fromAdmin(String group, Map<TopicPartition, Long> offsets) {
            return new OffsetCommit(group, ANY_EPOCH, null, offsets);
        }

        @Override
        public OffsetCommit inCoordinatorEpoch(int epoch) {
            return new OffsetCommit(group, epoch, memberId, offsets);
        }

        @Override
        public Future<OffsetsCommitted> accept(Handler handler) {
            return handler.offsetCommit(this);
        }
    }

    /** Member {@code memberId} leaves {@code group} (Kafka's LeaveGroup); its partitions move on. */
    record LeaveGroup(String group, int coordinatorEpoch, String memberId) implements GroupRequest<Done>, ForGroup<Done> {
        public LeaveGroup(String group, String memberId) {
            this(group, ANY_EPOCH, memberId);
        }

        @Override
        public LeaveGroup inCoordinatorEpoch(int epoch) {
            return new LeaveGroup(group, epoch, memberId);
        }

        @Override
        public Future<Done> accept(Handler handler) {
            return handler.leaveGroup(this);
        }
    }

    /** The state, members, assignment and committed offsets (with lag) of {@code group} (Kafka's DescribeGroups). */
    record DescribeGroup(String group, int coordinatorEpoch)
            implements GroupRequest<GroupDescription>, ForGroup<GroupDescription> {
        public DescribeGroup(String group) {
            this(group, ANY_EPOCH);
        }

        @Override
        public DescribeGroup inCoordinatorEpoch(int epoch) {
            return new DescribeGroup(group, epoch);
        }

        @Override
        public Future<GroupDescription> accept(Handler handler) {
            return handler.describeGroup(this);
        }
    }

    /** The committed offsets of {@code group} (Kafka's OffsetFetch). */
    record OffsetFetch(String group, int coordinatorEpoch) implements GroupRequest<GroupOffsets>, ForGroup<GroupOffsets> {
        public OffsetFetch(String group) {
            this(group, ANY_EPOCH);
        }

        @Override
        public OffsetFetch inCoordinatorEpoch(int epoch) {
            return new OffsetFetch(group, epoch);
        }

        @Override
        public Future<GroupOffsets> accept(Handler handler) {
            return handler.offsetFetch(this);
        }
    }

    /** Deletes {@code group}, which must have no members, with its committed offsets (Kafka's DeleteGroups). */
    record DeleteGroup(String group, int coordinatorEpoch) implements GroupRequest<GroupDeleted>, ForGroup<GroupDeleted> {
        public DeleteGroup(String group) {
            this(group, ANY_EPOCH);
        }

        @Override
        public DeleteGroup inCoordinatorEpoch(int epoch) {
            return new DeleteGroup(group, epoch);
        }

        @Override
        public Future<GroupDeleted> accept(Handler handler) {
            return handler.deleteGroup(this);
        }
    }

    /**
     * Moves the committed offsets of {@code group}, which must have no members (what Kafka's
     * {@code kafka-consumer-groups --reset-offsets} does with ListOffsets and OffsetCommit, here done
     * by the coordinator): to {@code exact} when it is not empty; else to the offsets at
     * {@code timestamp} ({@link #EARLIEST}, {@link #LATEST} or epoch ms), over the partitions of
     * {@code topics}, or over those the group has committed when {@code topics} is null.
     */
    record ResetOffsets(String group, int coordinatorEpoch, long timestamp, List<String> topics,
                        Map<TopicPartition, Long> exact)
            implements GroupRequest<OffsetsCommitted>, ForGroup<OffsetsCommitted> {
        /** For {@link #timestamp}: each partition's log start (Kafka's ListOffsets value). */
        public static final long EARLIEST = -2;
        /** For {@link #timestamp}: each partition's high watermark (Kafka's ListOffsets value). */
        public static final long LATEST = -1;

        public ResetOffsets {
            topics = topics == null ? null : List.copyOf(topics);
            exact = ordered(exact);
        }

        /** A reset to the offsets at {@code timestamp} of the partitions of {@code topics} (null: those committed). */
        public static ResetOffsets toTimestamp(String group, long timestamp, List<String> topics) {
            return new ResetOffsets(group, ANY_EPOCH, timestamp, topics, Map.of());
        }

        /** A reset to exactly {@code offsets}. */
        public static ResetOffsets toExact(String group, Map<TopicPartition, Long> offsets) {
            return new ResetOffsets(group, ANY_EPOCH, LATEST, null, offsets);
        }

        public boolean isExact() {
            return !exact.isEmpty();
        }

        @Override
        public ResetOffsets inCoordinatorEpoch(int epoch) {
            return new ResetOffsets(group, epoch, timestamp, topics, exact);
        }

        @Override
        public Future<OffsetsCommitted> accept(Handler handler) {
            return handler.resetOffsets(this);
        }
    }

    /**
     * The groups a node's coordinator holds (Kafka's ListGroups): sent to every node's coordinator
     * rather than through a group's, so it names no group and no epoch.
     */
    record ListGroups() implements GroupRequest<GroupListing> {
        @Override
        public Future<GroupListing> accept(Handler handler) {
            return handler.listGroups(this);
        }
    }

    /** An unmodifiable copy that keeps the order (a commit answers in the order it was asked). */
    private static Map<TopicPartition, Long> ordered(Map<TopicPartition, Long> offsets) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(offsets));
    }
}

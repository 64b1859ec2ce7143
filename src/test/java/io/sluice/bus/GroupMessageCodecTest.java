package io.sluice.bus;

import io.sluice.bus.AssignmentChange.AssignedPartition;
import io.sluice.bus.AssignmentChange.PartitionsAssigned;
import io.sluice.bus.AssignmentChange.PartitionsRevoked;
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
import io.sluice.bus.GroupRequest.DeleteGroup;
import io.sluice.bus.GroupRequest.DescribeGroup;
import io.sluice.bus.GroupRequest.Heartbeat;
import io.sluice.bus.GroupRequest.JoinGroup;
import io.sluice.bus.GroupRequest.LeaveGroup;
import io.sluice.bus.GroupRequest.ListGroups;
import io.sluice.bus.GroupRequest.OffsetCommit;
import io.sluice.bus.GroupRequest.OffsetFetch;
import io.sluice.bus.GroupRequest.ResetOffsets;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every group request, reply and assignment change crosses the wire between nodes unchanged (the
 * order of offsets, and nulls, included), and a body that is not one (an unknown tag, a truncated
 * body, another message's bytes) is refused.
 */
class GroupMessageCodecTest {
    private static final TopicPartition T0 = new TopicPartition("orders", 0);
    private static final TopicPartition T1 = new TopicPartition("orders", 1);
    private static final TopicPartition P3 = new TopicPartition("payments", 3);

    /** Offsets out of partition order: they must come back in the order they were given. */
    private static Map<TopicPartition, Long> offsets() {
        Map<TopicPartition, Long> m = new LinkedHashMap<>();
        m.put(P3, 9_000_000_000L);
        m.put(T1, 0L);
        m.put(T0, 42L);
        return m;
    }

    private static List<GroupRequest<?>> requests() {
        return List.of(
                new JoinGroup("billing", 7, "sluice.member.abc", "n2", "127.0.0.1:5555", List.of("orders", "metrics.*"),
                        "sticky", 10_000),
                new JoinGroup("billing", "sluice.member.abc", "n2", null, List.of("orders"), "range", 6_000),
                new Heartbeat("billing", 3, "billing-1"),
                new OffsetCommit("billing", 3, "billing-1", offsets()),
                OffsetCommit.fromAdmin("billing", Map.of(T0, 5L)),
                new LeaveGroup("billing", 3, "billing-1"),
                new DescribeGroup("billing", 3),
                new DescribeGroup("billing"),
                new OffsetFetch("billing", 0),
                new DeleteGroup("billing", 12),
                ResetOffsets.toTimestamp("billing", ResetOffsets.EARLIEST, null).inCoordinatorEpoch(4),
                ResetOffsets.toTimestamp("billing", 1_700_000_000_000L, List.of("orders", "payments")),
                ResetOffsets.toTimestamp("billing", ResetOffsets.LATEST, List.of()),
                ResetOffsets.toExact("billing", offsets()),
                new ListGroups(),
                new JoinGroup("billing", "sluice.member.abc", "n2", null, List.of("orders"), "range", 6_000)
                        .actingFor("User:alice", "127.0.0.1"));
    }

    private static List<GroupReply> replies() {
        return List.of(
                new Joined("billing-1"),
                new HeartbeatAck(17),
                new Done(),
                new OffsetsCommitted(offsets()),
                new GroupOffsets("billing", offsets()),
                new GroupDescription("billing", "Stable", 4, "sticky",
                        List.of(new MemberDescription("billing-1", "n1", "127.0.0.1:5555", List.of("orders", "metrics.*"),
                                        List.of(T0, T1)),
                                new MemberDescription("billing-2", "n2", null, List.of("orders"), List.of())),
                        List.of(new PartitionDescription(T0, 42L, 50L, "billing-1"),
                                new PartitionDescription(T1, null, 7L, "billing-1"),
                                new PartitionDescription(P3, 3L, null, null))),
                new GroupDescription("empty", "Empty", 0, "range", List.of(), List.of()),
                new GroupListing(List.of(new ListedGroup("billing", "Stable", 2, "n1"), new ListedGroup("audit", "Empty", 0, "n1"))),
                new GroupListing(List.of()),
                new GroupDeleted("billing"));
    }

    private static List<AssignmentChange> changes() {
        return List.of(
                new PartitionsRevoked("billing-1", 5, List.of(T1, T0)),
                new PartitionsRevoked("billing-1", 6, List.of()),
                new PartitionsAssigned("billing-1", 6, List.of(new AssignedPartition(T0, 42L, true),
                        new AssignedPartition(P3, AssignedPartition.NO_OFFSET, false))));
    }

    private static <T> T roundTrip(MessageCodec<T, T> codec, T message) {
        Buffer wire = Buffer.buffer().appendString("prefix");
        codec.encodeToWire(wire, message);
        return codec.decodeFromWire("prefix".length(), wire);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static GroupRequest<?> roundTrip(GroupRequest<?> request) {
        return (GroupRequest<?>) roundTrip(new GroupRequestCodec(request.getClass()), request);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static GroupReply roundTrip(GroupReply reply) {
        return (GroupReply) roundTrip(new GroupReplyCodec(reply.getClass()), reply);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AssignmentChange roundTrip(AssignmentChange change) {
        return (AssignmentChange) roundTrip(new AssignmentChangeCodec(change.getClass()), change);
    }

    private static <M> void assertEveryTypeCrossesUnchanged(List<M> messages, Function<M, M> roundTrip, Class<?> family) {
        for (M message : messages) {
            assertEquals(message, roundTrip.apply(message));
        }
        Set<Class<?>> covered = messages.stream().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(Set.of(family.getPermittedSubclasses()), covered, "a " + family.getSimpleName() + " type has no round trip here");
    }

    @Test
    void everyRequestTypeCrossesTheWireUnchanged() {
        assertEveryTypeCrossesUnchanged(requests(), GroupMessageCodecTest::roundTrip, GroupRequest.class);
    }

    @Test
    void everyReplyTypeCrossesTheWireUnchanged() {
        assertEveryTypeCrossesUnchanged(replies(), GroupMessageCodecTest::roundTrip, GroupReply.class);
    }

    @Test
    void everyAssignmentChangeCrossesTheWireUnchanged() {
        assertEveryTypeCrossesUnchanged(changes(), GroupMessageCodecTest::roundTrip, AssignmentChange.class);
    }

    @Test
    void offsetsKeepTheirOrderAndUnknownValuesStayUnknown() {
        OffsetCommit commit = (OffsetCommit) roundTrip(requests().get(3));
        assertEquals(List.of(P3, T1, T0), List.copyOf(commit.offsets().keySet()));
        assertEquals(9_000_000_000L, commit.offsets().get(P3));
        assertNull(((OffsetCommit) roundTrip(OffsetCommit.fromAdmin("g", Map.of(T0, 1L)))).memberId(), "an operator's commit");

        // No topics (the partitions the group committed) is not an empty list of topics (none).
        assertNull(((ResetOffsets) roundTrip(ResetOffsets.toTimestamp("g", ResetOffsets.EARLIEST, null))).topics());
        assertEquals(List.of(), ((ResetOffsets) roundTrip(ResetOffsets.toTimestamp("g", ResetOffsets.EARLIEST, List.of()))).topics());

        GroupDescription d = (GroupDescription) roundTrip(replies().get(5));
        assertNull(d.offsets().get(1).committedOffset());
        assertEquals(7L, d.offsets().get(1).lag(), "lag from the start when nothing is committed");
        assertNull(d.offsets().get(2).highWatermark());
        assertNull(d.offsets().get(2).lag());
        assertNull(d.offsets().get(2).owner());
    }

    @Test
    void aMalformedBodyIsRefused() {
        GroupRequestCodec<Heartbeat> codec = new GroupRequestCodec<>(Heartbeat.class);
        Buffer unknownTag = Buffer.buffer().appendInt(1).appendByte((byte) 99);
        assertThrows(IllegalArgumentException.class, () -> codec.decodeFromWire(0, unknownTag));

        Buffer whole = Buffer.buffer();
        codec.encodeToWire(whole, new Heartbeat("billing", 3, "billing-1"));
        Buffer truncated = whole.getBuffer(0, whole.length() - 3);
        assertThrows(IndexOutOfBoundsException.class, () -> codec.decodeFromWire(0, truncated));

        // Another request's bytes under this codec's name: not taken for a Heartbeat.
        Buffer leave = Buffer.buffer();
        new GroupRequestCodec<>(LeaveGroup.class).encodeToWire(leave, new LeaveGroup("billing", 3, "billing-1"));
        assertThrows(IllegalArgumentException.class, () -> codec.decodeFromWire(0, leave));

        Buffer negativeCount = Buffer.buffer().appendInt(0).appendByte((byte) 4).appendInt(-5);
        assertThrows(IllegalArgumentException.class,
                () -> new GroupReplyCodec<>(OffsetsCommitted.class).decodeFromWire(0, negativeCount));
        assertThrows(IllegalArgumentException.class,
                () -> new GroupReplyCodec<>(Done.class).decodeFromWire(0, Buffer.buffer().appendInt(1).appendByte((byte) 0)));
        Buffer revoked = Buffer.buffer();
        new AssignmentChangeCodec<>(PartitionsRevoked.class).encodeToWire(revoked, (PartitionsRevoked) changes().get(0));
        assertThrows(IllegalArgumentException.class,
                () -> new AssignmentChangeCodec<>(PartitionsAssigned.class).decodeFromWire(0, revoked));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyTypeHasADefaultCodecOnTheBus() {
        // The bus picks a codec by the body's exact class: each record needs its own (a second one is refused).
        Vertx vertx = Vertx.vertx();
        try {
            BusCodecs.register(vertx.eventBus());
            for (Class c : GroupRequest.class.getPermittedSubclasses()) {
                assertThrows(IllegalStateException.class,
                        () -> vertx.eventBus().registerDefaultCodec(c, new GroupRequestCodec(c)), c.getSimpleName());
            }
            for (Class c : GroupReply.class.getPermittedSubclasses()) {
                assertThrows(IllegalStateException.class,
                        () -> vertx.eventBus().registerDefaultCodec(c, new GroupReplyCodec(c)), c.getSimpleName());
            }
            for (Class c : AssignmentChange.class.getPermittedSubclasses()) {
                assertThrows(IllegalStateException.class,
                        () -> vertx.eventBus().registerDefaultCodec(c, new AssignmentChangeCodec(c)), c.getSimpleName());
            }
        } finally {
            vertx.close();
        }
    }
}

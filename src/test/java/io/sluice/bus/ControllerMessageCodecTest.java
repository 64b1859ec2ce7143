package io.sluice.bus;

import io.sluice.bus.ControllerCommand.AlterPartition;
import io.sluice.bus.ControllerCommand.ControlledShutdown;
import io.sluice.bus.ControllerCommand.CreatePartitions;
import io.sluice.bus.ControllerCommand.CreateTopics;
import io.sluice.bus.ControllerCommand.DeleteTopics;
import io.sluice.bus.ControllerCommand.EnsureOffsetsTopic;
import io.sluice.bus.ControllerCommand.GetMetadata;
import io.sluice.bus.ControllerCommand.IncrementalAlterConfigs;
import io.sluice.bus.ControllerCommand.Rebalance;
import io.sluice.bus.ControllerCommand.SetVoters;
import io.sluice.bus.ControllerReply.Committed;
import io.sluice.bus.ControllerReply.MetadataImage;
import io.sluice.bus.ControllerReply.VotersChanged;
import io.sluice.security.AclBinding;
import io.sluice.security.AclFilter;
import io.sluice.security.AclOperation;
import io.sluice.security.AclPermission;
import io.sluice.security.PatternType;
import io.sluice.security.ResourceType;
import io.sluice.security.ScramCredential;
import io.sluice.security.ScramMechanism;
import io.sluice.security.ScramUser;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every controller command and reply crosses the wire between nodes unchanged, and a body that is
 * not one (an unknown tag, a truncated body, another command's bytes) is refused.
 */
class ControllerMessageCodecTest {

    private static List<ControllerCommand> commands() {
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("retention.ms", 3_600_000);
        changes.put("cleanup.policy", List.of("delete", "compact"));
        changes.put("segment.bytes", null); // drops the override
        return List.of(
                new CreateTopics("orders", 3, 2, Map.of("min.insync.replicas", 2, "retention.ms", 1_000_000_000_000L), false),
                new CreateTopics("__consumer_offsets", ControllerCommand.DEFAULT, ControllerCommand.DEFAULT, Map.of(), true),
                new EnsureOffsetsTopic(),
                new DeleteTopics("orders"),
                new CreatePartitions("orders", 12),
                new IncrementalAlterConfigs("orders", changes),
                new AlterPartition(new TopicPartition("orders", 4), "n2", 7, List.of("n2", "n3")),
                new ControlledShutdown("n3"),
                new Rebalance(),
                new GetMetadata("n1"),
                new GetMetadata(null),
                new SetVoters("1@127.0.0.1:9001,2@127.0.0.1:9002"),
                new ControllerCommand.AlterUserScramCredentials(ALICE, false),
                new ControllerCommand.AlterUserScramCredentials(ALICE, true),
                new ControllerCommand.DeleteUser("alice"),
                new ControllerCommand.CreateAcls(List.of(ACL, new AclBinding("User:*", ResourceType.CLUSTER, PatternType.LITERAL, null,
                        AclOperation.DESCRIBE, AclPermission.DENY, "10.0.0.1"))),
                new ControllerCommand.DeleteAcls(List.of(AclFilter.ANY, new AclFilter("User:alice", ResourceType.TOPIC, null,
                        "ord", null, AclPermission.ALLOW, null))),
                new ControllerCommand.EnsureSchemasTopic());
    }

    private static final ScramUser ALICE = new ScramUser("alice", Map.of(ScramMechanism.SCRAM_SHA_512,
            new ScramCredential(ScramMechanism.SCRAM_SHA_512, "c2FsdA==", "c3RvcmVk", "c2VydmVy", 4096)));
    private static final AclBinding ACL = new AclBinding("User:alice", ResourceType.TOPIC, PatternType.PREFIXED, "ord",
            AclOperation.READ, AclPermission.ALLOW, "*");

    private static <T> T roundTrip(BusCodec<T> codec, T message) {
        Buffer wire = Buffer.buffer().appendString("prefix");
        codec.encodeToWire(wire, message);
        return codec.decodeFromWire("prefix".length(), wire);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ControllerCommand roundTrip(ControllerCommand command) {
        return roundTrip(new ControllerCommandCodec(command.getClass()), command);
    }

    @Test
    void everyCommandTypeCrossesTheWireUnchanged() {
        for (ControllerCommand command : commands()) {
            assertEquals(command, roundTrip(command));
        }
        Set<Class<?>> covered = commands().stream().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(Set.of(ControllerCommand.class.getPermittedSubclasses()), covered, "a command type has no round trip here");
    }

    @Test
    void configValuesKeepTheirJsonTypesAndDroppedOverridesStayNull() {
        IncrementalAlterConfigs back = (IncrementalAlterConfigs) roundTrip(commands().get(5));
        assertEquals(3_600_000, back.changes().get("retention.ms"));
        assertEquals(List.of("delete", "compact"), back.changes().get("cleanup.policy"));
        assertTrue(back.changes().containsKey("segment.bytes"));
        assertNull(back.changes().get("segment.bytes"));
        CreateTopics created = (CreateTopics) roundTrip(commands().get(0));
        assertEquals(1_000_000_000_000L, ((Number) created.configs().get("retention.ms")).longValue());
    }

    @Test
    void everyReplyTypeCrossesTheWireUnchanged() {
        assertEquals(new Committed(42), roundTrip(new ControllerReplyCodec<>(Committed.class), new Committed(42)));
        assertEquals(new VotersChanged(List.of("1@h:1", "2@h:2")),
                roundTrip(new ControllerReplyCodec<>(VotersChanged.class), new VotersChanged(List.of("1@h:1", "2@h:2"))));
        byte[] json = "{\"version\":9}".getBytes(StandardCharsets.UTF_8);
        MetadataImage image = roundTrip(new ControllerReplyCodec<>(MetadataImage.class), new MetadataImage(9, json));
        assertEquals(9, image.version());
        assertArrayEquals(json, image.metadata());
        ControllerReply.AclsDeleted deleted = new ControllerReply.AclsDeleted(12, List.of(ACL));
        assertEquals(deleted, roundTrip(new ControllerReplyCodec<>(ControllerReply.AclsDeleted.class), deleted));
        assertEquals(Set.of(Committed.class, VotersChanged.class, MetadataImage.class, ControllerReply.AclsDeleted.class),
                Set.of(ControllerReply.class.getPermittedSubclasses()), "a reply type has no round trip here");
    }

    @Test
    void aMalformedBodyIsRefused() {
        ControllerCommandCodec<DeleteTopics> codec = new ControllerCommandCodec<>(DeleteTopics.class);
        Buffer unknownTag = Buffer.buffer().appendInt(1).appendByte((byte) 99);
        assertThrows(IllegalArgumentException.class, () -> codec.decodeFromWire(0, unknownTag));

        Buffer whole = Buffer.buffer();
        codec.encodeToWire(whole, new DeleteTopics("orders"));
        Buffer truncated = whole.getBuffer(0, whole.length() - 3);
        assertThrows(IndexOutOfBoundsException.class, () -> codec.decodeFromWire(0, truncated));

        // Another command's bytes under this codec's name: not taken for a DeleteTopics.
        Buffer shutdown = Buffer.buffer();
        new ControllerCommandCodec<>(ControlledShutdown.class).encodeToWire(shutdown, new ControlledShutdown("n1"));
        assertThrows(IllegalArgumentException.class, () -> codec.decodeFromWire(0, shutdown));

        ControllerReplyCodec<Committed> replies = new ControllerReplyCodec<>(Committed.class);
        assertThrows(IllegalArgumentException.class,
                () -> replies.decodeFromWire(0, Buffer.buffer().appendInt(1).appendByte((byte) 0)));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyTypeHasADefaultCodecOnTheBus() {
        // The bus picks a codec by the body's exact class: each record needs its own (a second one is refused).
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            BusCodecs.register(vertx.eventBus());
            for (Class c : ControllerCommand.class.getPermittedSubclasses()) {
                assertThrows(IllegalStateException.class,
                        () -> vertx.eventBus().registerDefaultCodec(c, new ControllerCommandCodec(c)), c.getSimpleName());
            }
            for (Class c : ControllerReply.class.getPermittedSubclasses()) {
                assertThrows(IllegalStateException.class,
                        () -> vertx.eventBus().registerDefaultCodec(c, new ControllerReplyCodec(c)), c.getSimpleName());
            }
        } finally {
            vertx.close();
        }
    }
}

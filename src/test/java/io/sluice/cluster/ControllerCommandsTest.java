package io.sluice.cluster;

import io.sluice.bus.ControllerCommand;
import io.sluice.bus.ControllerCommand.CreatePartitions;
import io.sluice.bus.ControllerCommand.CreateTopics;
import io.sluice.bus.ControllerCommand.GetMetadata;
import io.sluice.bus.ControllerReply;
import io.sluice.common.ErrorCode;
import io.sluice.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller of a real single node, spoken to on the bus as other nodes do: typed commands
 * get typed replies; anything else is refused with a 400, even where only the node's own door
 * sends; and it checks a command's numbers itself, whoever sent it, with the adapter's codes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControllerCommandsTest {
    TestNode node;
    EventBus bus;

    @BeforeAll
    void start(@TempDir Path dir) {
        node = TestNode.start(dir);
        bus = node.node().vertx().eventBus();
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private ReplyException refusal(Object body, String address) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(bus.request(address, body)));
        return assertInstanceOf(ReplyException.class, e.getCause());
    }

    @Test
    void theControllerRefusesABodyThatIsNoCommand() {
        ReplyException refused = refusal(new JsonObject().put("op", "create_topic").put("name", "t"),
                NodeEndpoint.localCommandAddress(node.nodeId()));
        assertEquals(ErrorCode.BAD_REQUEST.code(), refused.failureCode());
        assertEquals("unknown controller command JsonObject", refused.getMessage());
    }

    @Test
    void aTypedCommandGetsATypedReply() throws Exception {
        ControllerReply created = await(bus.<ControllerReply>request(NodeEndpoint.address(node.nodeId()),
                new CreateTopics("typed", 2, 1, Map.of("retention.ms", 60_000), false))).body();
        long version = assertInstanceOf(ControllerReply.Committed.class, created).metadataVersion();
        ControllerReply image = await(bus.<ControllerReply>request(NodeEndpoint.address(node.nodeId()),
                new GetMetadata(null))).body();
        ClusterMetadata metadata = MetadataStore.fromJson(assertInstanceOf(ControllerReply.MetadataImage.class, image).metadata());
        assertTrue(metadata.version() >= version, "the image holds the change: " + metadata.version() + " < " + version);
        assertNotNull(metadata.topic("typed"));
        assertEquals(2, metadata.topic("typed").partitionCount());
    }

    @Test
    void theControllerChecksACommandsNumbersWhoeverSentIt() {
        String door = NodeEndpoint.address(node.nodeId());
        ReplyException partitions = refusal(new CreateTopics("numbers", 0, ControllerCommand.DEFAULT, Map.of(), false), door);
        assertEquals(ErrorCode.INVALID_PARTITIONS.code(), partitions.failureCode());
        assertEquals("'partitions' must be an integer from 1 to 10000, got 0", partitions.getMessage());
        ReplyException rf = refusal(new CreateTopics("numbers", 1, -5, Map.of(), false), door);
        assertEquals(ErrorCode.INVALID_REPLICATION_FACTOR.code(), rf.failureCode());
        ReplyException name = refusal(new CreateTopics("no good", 1, 1, Map.of(), false), door);
        assertEquals(ErrorCode.INVALID_TOPIC.code(), name.failureCode());
        ReplyException reserved = refusal(new CreateTopics("__mine", 1, 1, Map.of(), false), door);
        assertEquals("topic names starting with '__' are reserved", reserved.getMessage());
        ReplyException missing = refusal(new CreatePartitions("absent", 3), door);
        assertEquals(ErrorCode.UNKNOWN_TOPIC.code(), missing.failureCode());
        ReplyException config = refusal(new CreateTopics("numbers", 1, 1, Map.of("retention.ms", "soon"), false), door);
        assertEquals(ErrorCode.INVALID_CONFIG.code(), config.failureCode());
    }

    @Test
    void onlyANodeWithASessionAtThisControllerMayJoinAnIsr() throws Exception {
        String door = NodeEndpoint.address(node.nodeId());
        await(bus.request(door, new CreateTopics("isr-join", 1, 1, Map.of(), false)));
        ClusterMetadata m = MetadataStore.fromJson(((ControllerReply.MetadataImage) await(bus.<ControllerReply>request(door,
                new GetMetadata(null))).body()).metadata());
        PartitionAssignment pa = m.topic("isr-join").partition(0);
        ReplyException refused = refusal(new ControllerCommand.AlterPartition(new io.sluice.bus.TopicPartition("isr-join", 0),
                pa.leader(), pa.leaderEpoch(), java.util.List.of(pa.leader(), "never-heartbeated")), door);
        assertEquals(ErrorCode.NOT_LEADER.code(), refused.failureCode());
        assertEquals("node never-heartbeated has no session with controller " + node.nodeId()
                + "; it cannot join the ISR of isr-join-0", refused.getMessage());
    }
}

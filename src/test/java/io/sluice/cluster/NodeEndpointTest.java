package io.sluice.cluster;

import io.sluice.bus.BrokerHeartbeatRequest;
import io.sluice.bus.BrokerHeartbeatResponse;
import io.sluice.bus.BusCodecs;
import io.sluice.bus.ControllerCommand;
import io.sluice.bus.ControllerCommand.CreateTopics;
import io.sluice.bus.ControllerCommand.DeleteTopics;
import io.sluice.bus.ControllerCommand.Rebalance;
import io.sluice.bus.ControllerReply;
import io.sluice.common.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's door stays on the bus for the node's life: it answers pings itself, and reaches whichever
 * controller runs behind it on local addresses with commands and heartbeats, their answers, headers
 * and failure codes; with no controller behind it, a retriable {@code UNAVAILABLE} (clients and
 * heartbeaters try again) rather than the bus's silence until a timeout; anything else, a 400.
 */
class NodeEndpointTest {
    Vertx vertx;

    @BeforeEach
    void endpoint() throws Exception {
        vertx = Vertx.vertx();
        BusCodecs.register(vertx.eventBus());
        await(vertx.deployVerticle(new NodeEndpoint("n1", 5_000)));
    }

    @AfterEach
    void close() throws Exception {
        await(vertx.close());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private ReplyException failureOf(Future<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(f));
        return assertInstanceOf(ReplyException.class, e.getCause());
    }

    @Test
    void withNoControllerBehindItADoorAnswersUnavailable() {
        ReplyException command = failureOf(vertx.eventBus().request(NodeEndpoint.address("n1"), new Rebalance()));
        assertEquals(ReplyFailure.RECIPIENT_FAILURE, command.failureType());
        assertEquals(ErrorCode.UNAVAILABLE.code(), command.failureCode());
        ReplyException heartbeat = failureOf(vertx.eventBus().request(NodeEndpoint.address("n1"),
                new BrokerHeartbeatRequest("b1", 7, false)));
        assertEquals(ErrorCode.UNAVAILABLE.code(), heartbeat.failureCode());
    }

    @Test
    void aControllerAttachedLaterAnswersThroughTheDoorsAndStopsAnsweringWhenItLeaves() throws Exception {
        MessageConsumer<ControllerCommand> commands = vertx.eventBus().localConsumer(NodeEndpoint.localCommandAddress("n1"),
                m -> m.reply(new ControllerReply.Committed(((DeleteTopics) m.body()).name().length()),
                        new DeliveryOptions().addHeader("answered-by", m.headers().get("asked-by"))));
        MessageConsumer<BrokerHeartbeatRequest> heartbeats = vertx.eventBus().localConsumer(
                NodeEndpoint.localHeartbeatAddress("n1"), m -> m.reply(new BrokerHeartbeatResponse(4, 9, true)));
        await(Future.all(commands.completion(), heartbeats.completion()));

        Message<ControllerReply> answer = await(vertx.eventBus().request(NodeEndpoint.address("n1"),
                new DeleteTopics("abc"), new DeliveryOptions().addHeader("asked-by", "n2")));
        assertEquals(new ControllerReply.Committed(3), answer.body());
        assertEquals("n2", answer.headers().get("answered-by"));
        Message<BrokerHeartbeatResponse> granted = await(vertx.eventBus().request(NodeEndpoint.address("n1"),
                new BrokerHeartbeatRequest("b1", 7, false)));
        assertTrue(granted.body().leaseGranted());
        assertEquals(4, granted.body().controllerEpoch());

        await(Future.all(commands.unregister(), heartbeats.unregister()));
        ReplyException after = failureOf(vertx.eventBus().request(NodeEndpoint.address("n1"), new Rebalance()));
        assertEquals(ErrorCode.UNAVAILABLE.code(), after.failureCode());
    }

    @Test
    void aPingIsAnsweredByTheDoorItselfAndAnUnknownMessageIsRefused() throws Exception {
        assertEquals(NodeEndpoint.PONG, await(vertx.eventBus().request(NodeEndpoint.address("n1"), "ping")).body());
        ReplyException refused = failureOf(vertx.eventBus().request(NodeEndpoint.address("n1"), 42L));
        assertEquals(ErrorCode.BAD_REQUEST.code(), refused.failureCode());
    }

    @Test
    void anUntypedCommandIsRefusedAndNeverReachesTheController() throws Exception {
        // The JSON "op" commands of earlier versions are no command any more.
        List<Object> reached = new CopyOnWriteArrayList<>();
        await(vertx.eventBus().localConsumer(NodeEndpoint.localCommandAddress("n1"), m -> {
            reached.add(m.body());
            m.reply(new ControllerReply.Committed(1));
        }).completion());
        ReplyException refused = failureOf(vertx.eventBus().request(NodeEndpoint.address("n1"),
                new JsonObject().put("op", "create_topic").put("name", "t")));
        assertEquals(ErrorCode.BAD_REQUEST.code(), refused.failureCode());
        assertEquals("node n1 takes no JsonObject", refused.getMessage());
        assertEquals(List.of(), reached);
    }

    @Test
    void aNodesOwnDoorIsReachedWithoutAClusterLookup() {
        // (Resolving an address can wait on Hazelcast while a member is frozen; a node pings only the others.)
        assertTrue(io.sluice.bus.NodeDoor.deliveryTo("n1", "n1", 500).isLocalOnly());
        assertFalse(io.sluice.bus.NodeDoor.deliveryTo("n2", "n1", 500).isLocalOnly());
        assertEquals(500, io.sluice.bus.NodeDoor.deliveryTo("n2", "n1", 500).getSendTimeout());
    }

    @Test
    void aControllersRefusalReachesTheCallerWithItsCode() {
        vertx.eventBus().<ControllerCommand>localConsumer(NodeEndpoint.localCommandAddress("n1"),
                m -> m.fail(ErrorCode.TOPIC_EXISTS.code(), "topic 't' already exists"));
        ReplyException refused = failureOf(vertx.eventBus().request(NodeEndpoint.address("n1"),
                new CreateTopics("t", 1, 1, Map.of(), false)));
        assertEquals(ReplyFailure.RECIPIENT_FAILURE, refused.failureType());
        assertEquals(ErrorCode.TOPIC_EXISTS.code(), refused.failureCode());
        assertEquals("topic 't' already exists", refused.getMessage());
    }
}

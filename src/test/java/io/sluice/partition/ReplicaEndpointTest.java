package io.sluice.partition;

import io.sluice.bus.OffsetsRequest;
import io.sluice.bus.OffsetsResponse;
import io.sluice.bus.TopicPartition;
import io.sluice.common.ErrorCode;
import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A node's one door for replica requests from other nodes, spoken to on the bus as they do: it
 * hands a request to the replica of the partition it names, answers a partition it serves no
 * replica of with the retriable UNAVAILABLE, and refuses what is not a partition request.
 */
class ReplicaEndpointTest {
    @TempDir
    Path dir;

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static ReplyException refusal(EventBus bus, String address, Object body) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(bus.request(address, body)));
        return assertInstanceOf(ReplyException.class, e.getCause());
    }

    @Test
    void theDoorRoutesByPartitionAndRefusesWhatItCannotServe() throws Exception {
        try (TestNode node = TestNode.start(dir); HttpTestClient http = new HttpTestClient(node.port())) {
            EventBus bus = node.node().vertx().eventBus();
            String door = ReplicaEndpoint.address(node.nodeId());
            http.createTopic("routed", 2, new JsonObject());
            http.produce("routed", new JsonArray().add(new JsonObject().put("value", "a").put("partition", 1)));
            Await.until("both replicas serve", Duration.ofSeconds(10),
                    () -> node.node().replicas().local(new TopicPartition("routed", 1)) != null);

            OffsetsResponse offsets = await(bus.<OffsetsResponse>request(door,
                    new OffsetsRequest(new TopicPartition("routed", 1), OffsetsRequest.NO_TIMESTAMP))).body();
            assertEquals(1, offsets.highWatermark());

            ReplyException absent = refusal(bus, door, new OffsetsRequest(new TopicPartition("routed", 7), OffsetsRequest.NO_TIMESTAMP));
            assertEquals(ErrorCode.UNAVAILABLE.code(), absent.failureCode());
            assertEquals("routed-7 is not served on node " + node.nodeId() + " right now", absent.getMessage());

            ReplyException untyped = refusal(bus, door, new JsonObject().put("op", "fetch"));
            assertEquals(ErrorCode.BAD_REQUEST.code(), untyped.failureCode());
            assertEquals("the replica door of node " + node.nodeId() + " takes no JsonObject", untyped.getMessage());
        }
    }
}

package io.sluice.group;

import io.sluice.common.Clock;
import io.sluice.bus.BusCodecs;
import io.sluice.bus.GroupReply.GroupListing;
import io.sluice.bus.GroupRequest.DescribeGroup;
import io.sluice.bus.GroupRequest.ListGroups;
import io.sluice.cluster.BrokerLease;
import io.sluice.cluster.MetadataCache;
import io.sluice.common.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A group coordinator takes typed group requests only: the JSON "op" requests of earlier versions,
 * or any other body, are refused with a 400 before anything is looked at.
 */
class GroupCoordinatorRequestsTest {
    Vertx vertx;

    @BeforeEach
    void coordinator() throws Exception {
        vertx = Vertx.vertx();
        BusCodecs.register(vertx.eventBus());
        MetadataCache metadata = new MetadataCache(vertx);
        // Nothing here reaches partitions, the store or the metrics: the requests below need none.
        await(vertx.deployVerticle(new GroupCoordinatorVerticle("n1", metadata, new OffsetsStore(vertx, metadata, null, null, Clock.SYSTEM),
                new GroupAdmin(metadata, null, null), 60_000, new BrokerLease(System::nanoTime), Clock.SYSTEM)));
    }

    @AfterEach
    void close() throws Exception {
        await(vertx.close());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private ReplyException refusal(Object body) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> await(vertx.eventBus().request(GroupCoordinatorVerticle.address("n1"), body)));
        return assertInstanceOf(ReplyException.class, e.getCause());
    }

    @Test
    void anUntypedJsonRequestIsRefusedWithBadRequest() {
        ReplyException refused = refusal(new JsonObject().put("op", "describe").put("group", "g"));
        assertEquals(ReplyFailure.RECIPIENT_FAILURE, refused.failureType());
        assertEquals(ErrorCode.BAD_REQUEST.code(), refused.failureCode());
        assertEquals("the group coordinator on node n1 takes no JsonObject", refused.getMessage());
        assertEquals(ErrorCode.BAD_REQUEST.code(), refusal("list").failureCode());
    }

    @Test
    void aTypedRequestIsAnsweredWithItsReplyType() throws Exception {
        GroupListing none = await(vertx.eventBus().<GroupListing>request(GroupCoordinatorVerticle.address("n1"), new ListGroups()))
                .body();
        assertEquals(new GroupListing(List.of()), none);
    }

    @Test
    void aRequestWithoutAGroupIsRefusedWithBadRequest() {
        ReplyException refused = refusal(new DescribeGroup(""));
        assertEquals(ErrorCode.BAD_REQUEST.code(), refused.failureCode());
        assertEquals("group id is required", refused.getMessage());
    }
}

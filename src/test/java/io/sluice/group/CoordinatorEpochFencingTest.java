package io.sluice.group;

import io.sluice.bus.GroupReply.GroupDescription;
import io.sluice.bus.GroupRequest;
import io.sluice.bus.GroupRequest.DescribeGroup;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.common.ErrorCode;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request to a group coordinator names the coordinator epoch it was sent for, and a coordinator
 * of any other epoch refuses it. A copy of a commit held in a connection to a node that was cut
 * off, and delivered after the heal, is thereby refused instead of taking the committed offset
 * back past what the member committed since.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorEpochFencingTest {
    @TempDir
    static Path dir;
    TestNode node;
    HttpTestClient http;

    @BeforeAll
    void start() {
        node = TestNode.start(dir, "offsets.topic.num.partitions=1");
        http = new HttpTestClient(node.port());
    }

    @AfterAll
    void stop() {
        http.close();
        node.close();
    }

    @Test
    void aRequestForAnotherCoordinatorEpochIsRefusedWithNotCoordinator() {
        http.createTopic("fenced", 1, new JsonObject());
        try (GroupTestMember member = new GroupTestMember(http, "m", "topics=fenced&group=gf&session_timeout_ms=3000", false)) {
            GroupTestMember.until("the member is assigned", List.of(member), Duration.ofSeconds(20), () -> member.owned.size() == 1);
        }
        PartitionAssignment offsets = node.node().metadata().current().topic(OffsetsTopic.NAME).partition(0);
        int epoch = offsets.leaderEpoch();

        GroupDescription inEpoch = describe(epoch);
        assertEquals("gf", inEpoch.groupId(), inEpoch.toString());

        for (int other : new int[] {epoch + 1, epoch + 7}) {
            CompletionException e = assertThrows(CompletionException.class, () -> describe(other));
            ReplyException refused = assertInstanceOf(ReplyException.class, e.getCause());
            assertEquals(ErrorCode.NOT_COORDINATOR.code(), refused.failureCode(), refused.getMessage());
            assertTrue(refused.getMessage().contains("epoch " + other), refused.getMessage());
        }
        // A request that names no epoch (an operator's tool on the node) is still served.
        assertEquals("gf", describe(GroupRequest.ANY_EPOCH).groupId());
    }

    private GroupDescription describe(int epoch) {
        Future<GroupDescription> reply = node.node().vertx().eventBus()
                .<GroupDescription>request(GroupCoordinatorVerticle.address(node.nodeId()), new DescribeGroup("gf", epoch))
                .map(m -> m.body());
        return reply.toCompletionStage().toCompletableFuture().join();
    }
}

package io.sluice.group;

import io.sluice.bus.TopicPartition;
import io.sluice.group.ConsumerGroup.Member;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The group record carries what the next coordinator needs to take a group over as it was. */
class GroupRecordTest {
    @Test
    void membersSubscriptionsAndAssignmentsSurviveTheRecord() {
        ConsumerGroup g = new ConsumerGroup("g");
        g.assignor = "range";
        g.generation = 7;
        Member a = new Member("g-a", "sluice.member.a", "node-1", "127.0.0.1:5000", Subscription.of(List.of("orders", "metrics.*")), 4000, 1);
        a.assigned.addAll(List.of(new TopicPartition("orders", 0), new TopicPartition("metrics.cpu", 2)));
        Member b = new Member("g-b", "sluice.member.b", "node-2", "127.0.0.1:5001", Subscription.of(List.of("orders")), 9000, 1);
        g.members.put(a.id, a);
        g.members.put(b.id, b);

        // Through the bytes that are stored, as a replay reads them.
        JsonObject stored = new JsonObject(g.record(123).encode());
        assertEquals("range", stored.getString("assignor"));
        assertEquals(7, stored.getInteger("generation"));

        ConsumerGroup next = new ConsumerGroup("g");
        next.restoreMembers(stored.getJsonArray("members"), 5_000);
        assertEquals(List.of("g-a", "g-b"), List.copyOf(next.members.keySet()));
        Member ra = next.members.get("g-a");
        assertEquals("sluice.member.a", ra.address);
        assertEquals("node-1", ra.node);
        assertEquals("127.0.0.1:5000", ra.client);
        assertEquals(List.of("orders", "metrics.*"), ra.subscription.entries());
        assertTrue(ra.subscription.hasPatterns());
        assertEquals(4000, ra.sessionTimeoutMs);
        assertEquals(5_000, ra.lastHeartbeat, "a restored member's session starts when it is restored");
        assertEquals(a.assigned, ra.assigned);
        assertEquals(List.of(), next.members.get("g-b").assigned);
        assertEquals(9000, next.members.get("g-b").sessionTimeoutMs);
    }

    @Test
    void aRecordWithoutMembersRestoresNone() {
        ConsumerGroup g = new ConsumerGroup("g");
        g.members.put("x", new Member("x", "addr", "n", "c", Subscription.of(List.of("t")), 1000, 0));
        g.restoreMembers(OffsetsTopic.groupValue("sticky", 3, 0).getJsonArray("members"), 0);
        assertTrue(g.members.isEmpty(), "records written before members were stored hold none");
    }
}

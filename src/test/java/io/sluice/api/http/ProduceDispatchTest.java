package io.sluice.api.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which paths the produce hot path takes itself; every other one goes to the router. */
class ProduceDispatchTest {
    @Test
    void takesOnlyThePlainProducePath() {
        assertEquals("orders", ProduceDispatch.topicOf("/topics/orders/records"));
        assertEquals("a.b_c-9", ProduceDispatch.topicOf("/topics/a.b_c-9/records"));
        assertEquals("records", ProduceDispatch.topicOf("/topics/records/records"));
    }

    @Test
    void leavesEverythingElseToTheRouter() {
        assertNull(ProduceDispatch.topicOf("/topics/orders"), "the Confluent-style path");
        assertNull(ProduceDispatch.topicOf("/topics//records"), "no topic");
        assertNull(ProduceDispatch.topicOf("/topics/records"), "no topic segment");
        assertNull(ProduceDispatch.topicOf("/topics/a/b/records"), "two segments");
        assertNull(ProduceDispatch.topicOf("/topics/ord%65rs/records"), "percent-encoded");
        assertNull(ProduceDispatch.topicOf("/topics/orders/records/"), "trailing slash");
        assertNull(ProduceDispatch.topicOf("/topics/../records"), "dot segments are not a topic name here");
        assertNull(ProduceDispatch.topicOf("/topics/orders/partitions/0/records"));
        assertNull(ProduceDispatch.topicOf("/v1/topics/orders/records"));
        assertNull(ProduceDispatch.topicOf(null));
    }
}

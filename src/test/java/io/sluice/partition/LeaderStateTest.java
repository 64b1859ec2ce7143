package io.sluice.partition;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The leader's bookkeeping of followers: high watermark, ISR growth and shrinkage, changes in flight. */
class LeaderStateTest {
    private static LeaderState leader(long epochStart, List<String> replicas, List<String> isr) {
        return new LeaderState("a", 3, epochStart, replicas, isr, 0);
    }

    @Test
    void theHighWatermarkIsTheSmallestLogEndOverTheIsr() {
        LeaderState s = leader(0, List.of("a", "b", "c"), List.of("a", "b", "c"));
        assertEquals(-1, s.highWatermark(100), "nothing is committed before every follower has fetched");
        s.onFetch("b", 80, 100, 10);
        s.onFetch("c", 60, 100, 10);
        assertEquals(60, s.highWatermark(100));
        s.onFetch("c", 100, 100, 20);
        assertEquals(80, s.highWatermark(100));
        s.update(List.of("a", "b", "c"), List.of("a", "c"), 30);
        assertEquals(100, s.highWatermark(100), "a follower outside the ISR does not hold the high watermark back");
    }

    @Test
    void aPendingAdditionCountsTowardsTheHighWatermarkAtOnce() {
        LeaderState s = leader(0, List.of("a", "b", "c"), List.of("a", "b"));
        s.onFetch("b", 100, 100, 10);
        s.onFetch("c", 50, 100, 10);
        assertNull(s.isrToExpand("c", 100), "c is behind the high watermark");
        s.onFetch("c", 100, 100, 20);
        List<String> grow = s.isrToExpand("c", 100);
        assertEquals(List.of("a", "b", "c"), grow);
        s.pending(grow);
        assertEquals(Set.of("a", "b", "c"), s.maximalIsr());
        assertNull(s.isrToExpand("c", 100), "one change in flight at a time");
        s.update(List.of("a", "b", "c"), List.of("a", "b", "c"), 30);
        assertFalse(s.changePending(), "the committed ISR answers the request");
    }

    @Test
    void aFollowerMustReachTheLeadersEpochStartToJoin() {
        LeaderState s = leader(200, List.of("a", "b"), List.of("a"));
        s.onFetch("b", 150, 250, 10);
        assertNull(s.isrToExpand("b", 150), "at the high watermark but before the epoch's first offset");
        s.onFetch("b", 200, 250, 20);
        assertEquals(List.of("a", "b"), s.isrToExpand("b", 150));
    }

    @Test
    void aChangeTheControllerTransformedClearsTheRequestAndNoLongerHoldsTheHighWatermark() {
        // c is being added while a reassignment moves the partition off b: the controller commits
        // the addition and completes the move at once, so the ISR it commits is not the one asked.
        LeaderState s = leader(0, List.of("a", "c", "b"), List.of("a", "b"));
        s.onFetch("b", 100, 100, 10);
        s.onFetch("c", 100, 100, 10);
        s.pending(s.isrToExpand("c", 100));
        s.update(List.of("a", "c"), List.of("a", "c"), 20);
        assertFalse(s.changePending());
        assertFalse(s.isReplica("b"));
        s.onFetch("c", 120, 120, 30);
        assertEquals(120, s.highWatermark(120));
        s.pending(List.of("a", "c", "b"));
        assertEquals(120, s.highWatermark(120), "a node no longer a replica is ignored even if a stale request names it");
    }

    @Test
    void followersThatStopCatchingUpLeaveTheIsrAfterTheLagWindow() {
        LeaderState s = leader(0, List.of("a", "b", "c"), List.of("a", "b", "c"));
        s.onFetch("b", 100, 100, 1_000);
        s.onFetch("c", 100, 100, 1_000);
        assertNull(s.isrToShrink(5_000, 10_000));
        // b keeps fetching but never reaches the leader's end as it was at its previous fetch.
        s.onFetch("b", 100, 200, 2_000);
        s.onFetch("b", 150, 300, 3_000);
        s.onFetch("c", 300, 300, 3_000);
        assertNull(s.isrToShrink(11_000, 10_000), "b caught up at 1000 ms: still within the window");
        s.onFetch("c", 300, 300, 11_500);
        assertEquals(List.of("a", "c"), s.isrToShrink(12_000, 10_000));
        s.onFetch("b", 300, 300, 12_500);
        assertNull(s.isrToShrink(12_600, 10_000), "b caught up again");
    }

    @Test
    void aFailedRequestCanBeRetried() {
        LeaderState s = leader(0, List.of("a", "b"), List.of("a"));
        s.onFetch("b", 10, 10, 1);
        s.pending(s.isrToExpand("b", 10));
        assertTrue(s.changePending());
        s.pending(null);
        assertEquals(List.of("a", "b"), s.isrToExpand("b", 10));
    }
}

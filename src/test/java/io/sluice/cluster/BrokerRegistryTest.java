package io.sluice.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerRegistryTest {
    static final long MS = 1_000_000;
    /** Session 2 s; the controller took over at t=1000 ms; the previous controller's grant window is 500 ms. */
    final BrokerRegistry registry = new BrokerRegistry(2_000, 1_000 * MS, 500 * MS);

    @Test
    void aNewControllerFencesNobodyBeforeAWholeSessionAfterThePreviousOnesGrantsEnded() {
        assertTrue(registry.live("never-heard", 3_500 * MS), "1000 + 500 + 2000: still live at 3500 ms");
        assertFalse(registry.live("never-heard", 3_501 * MS));
    }

    @Test
    void aBrokerIsLiveForASessionAfterItsLastHeartbeat() {
        assertEquals(BrokerRegistry.Outcome.CAME_BACK, registry.heartbeat("b1", 7, false, 4_000 * MS));
        assertEquals(BrokerRegistry.Outcome.RENEWED, registry.heartbeat("b1", 7, false, 5_000 * MS));
        assertTrue(registry.live("b1", 7_000 * MS));
        assertFalse(registry.live("b1", 7_001 * MS));
        assertEquals(Set.of("b1"), registry.live(List.of("b1", "gone"), 6_000 * MS));
        assertEquals(BrokerRegistry.Outcome.CAME_BACK, registry.heartbeat("b1", 7, false, 8_000 * MS),
                "back after its session ran out: it may rejoin ISRs and need replicas");
        assertTrue(registry.mayLead("b1", 7));
        assertFalse(registry.mayLead("b1", 6), "an older start of the node");
    }

    @Test
    void anUncleanStartHoldsNoLeaseUntilTheControllerActedOnIt() {
        registry.heartbeat("b2", 1, false, 2_000 * MS);
        assertEquals(BrokerRegistry.Outcome.UNCLEAN_START, registry.heartbeat("b2", 2, true, 2_100 * MS),
                "a new incarnation, started without a clean stop");
        assertFalse(registry.mayLead("b2", 2));
        assertEquals(BrokerRegistry.Outcome.UNCLEAN_START, registry.heartbeat("b2", 2, true, 2_200 * MS), "until acted on");
        registry.registered("b2", 2);
        assertTrue(registry.mayLead("b2", 2));
        assertEquals(BrokerRegistry.Outcome.RENEWED, registry.heartbeat("b2", 2, true, 2_300 * MS));
    }

    @Test
    void aControllerThatTakesOverDoesNotFenceAgainWhatItsPredecessorActedOn() {
        // The broker got its lease from the previous controller, so it no longer says "unclean".
        BrokerRegistry successor = new BrokerRegistry(2_000, 9_000 * MS, 500 * MS);
        assertEquals(BrokerRegistry.Outcome.CAME_BACK, successor.heartbeat("b3", 5, false, 9_100 * MS));
        assertTrue(successor.mayLead("b3", 5));
    }

    @Test
    void onlyABrokerThatHeartbeatedWithinASessionIsHeardFromNotOneCountedLiveByGrace() {
        assertTrue(registry.live("left-during-takeover", 2_000 * MS), "live by the new controller's grace");
        assertFalse(registry.heardFrom("left-during-takeover", 2_000 * MS), "but never heard: it may not join an ISR");
        registry.heartbeat("b4", 1, false, 2_000 * MS);
        assertTrue(registry.heardFrom("b4", 4_000 * MS));
        assertFalse(registry.heardFrom("b4", 4_001 * MS), "its session ran out");
    }
}

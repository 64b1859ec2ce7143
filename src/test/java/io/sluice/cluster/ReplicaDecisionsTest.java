package io.sluice.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tests for the controller's pure partition rules in {@link ReplicaDecisions}. */
class ReplicaDecisionsTest {
    private static final List<String> ABC = List.of("a", "b", "c");
    private static final List<String> THREE = List.of("n1", "n2", "n3");
    private static final List<String> FOUR = List.of("n1", "n2", "n3", "n4");
    private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

    private static PartitionAssignment pa(List<String> replicas, String leader, int epoch, List<String> isr) {
        return new PartitionAssignment(0, replicas, leader, epoch, isr);
    }

    private static Set<String> live(String... nodes) {
        return Set.of(nodes);
    }

    /** Partitions as freshly created: first replica leads, every replica in sync. */
    private static List<PartitionAssignment> assignments(List<List<String>> replicaLists) {
        List<PartitionAssignment> out = new ArrayList<>();
        for (int p = 0; p < replicaLists.size(); p++) {
            List<String> r = replicaLists.get(p);
            out.add(new PartitionAssignment(p, r, r.get(0), 0, r));
        }
        return out;
    }

    private static Map<String, Integer> replicaCounts(List<List<String>> lists, List<String> nodes) {
        Map<String, Integer> out = new LinkedHashMap<>();
        nodes.forEach(n -> out.put(n, 0));
        lists.forEach(l -> l.forEach(r -> out.merge(r, 1, Integer::sum)));
        return out;
    }

    private static Map<String, Integer> leaderCounts(List<List<String>> lists, List<String> nodes) {
        Map<String, Integer> out = new LinkedHashMap<>();
        nodes.forEach(n -> out.put(n, 0));
        lists.forEach(l -> out.merge(l.get(0), 1, Integer::sum));
        return out;
    }

    /** Replicas placed on a node that did not hold them before (each is one copy of a partition). */
    private static int moved(List<PartitionAssignment> before, List<List<String>> after) {
        int moved = 0;
        for (int p = 0; p < before.size(); p++) {
            for (String r : after.get(p)) {
                if (!before.get(p).replicas().contains(r)) {
                    moved++;
                }
            }
        }
        return moved;
    }

    private static void assertEachBetween(Map<String, Integer> counts, int min, int max, String what) {
        counts.forEach((node, count) -> assertTrue(count >= min && count <= max,
                what + " of " + node + " is " + count + ", expected " + min + ".." + max + ": " + counts));
    }

    private static void assertWellFormed(List<List<String>> lists, int partitions, int rf, List<String> nodes) {
        assertEquals(partitions, lists.size(), "one replica list per partition");
        for (List<String> l : lists) {
            assertEquals(rf, l.size(), "replication factor kept: " + l);
            assertEquals(rf, new HashSet<>(l).size(), "no node twice: " + l);
            assertTrue(nodes.containsAll(l), "only listed nodes: " + l);
        }
    }

    // ---- onLiveNodes: leader election and ISR as nodes come and go ----

    @Test
    void nothingChangesWhenEveryReplicaIsLive() {
        PartitionAssignment before = pa(ABC, "a", 3, ABC);
        assertSame(before, ReplicaDecisions.onLiveNodes(before, live("a", "b", "c"), false));
        assertSame(before, ReplicaDecisions.onLiveNodes(before, live("a", "b", "c", "d"), true));
    }

    @Test
    void aDeadFollowerLeavesTheIsrWhileTheLeaderAndEpochStay() {
        PartitionAssignment next = ReplicaDecisions.onLiveNodes(pa(ABC, "a", 3, ABC), live("a", "c"), false);
        assertEquals(pa(ABC, "a", 3, List.of("a", "c")), next);
    }

    @Test
    void aDeadFollowerOutsideTheIsrChangesNothing() {
        PartitionAssignment before = pa(ABC, "a", 3, List.of("a", "b"));
        assertSame(before, ReplicaDecisions.onLiveNodes(before, live("a", "b"), false));
    }

    @Test
    void aDeadLeaderIsReplacedByTheNextInSyncReplica() {
        PartitionAssignment next = ReplicaDecisions.onLiveNodes(pa(ABC, "a", 3, ABC), live("b", "c"), false);
        assertEquals(pa(ABC, "b", 4, List.of("b", "c")), next);
    }

    @Test
    void theNewLeaderIsChosenInReplicaOrderNotIsrOrder() {
        PartitionAssignment next = ReplicaDecisions.onLiveNodes(pa(ABC, "a", 3, List.of("a", "c", "b")),
                live("b", "c"), false);
        assertEquals("b", next.leader());
        assertEquals(4, next.leaderEpoch());
        assertEquals(List.of("c", "b"), next.isr());
    }

    @Test
    void anOutOfSyncReplicaIsSkippedWhenElectingANewLeader() {
        PartitionAssignment next = ReplicaDecisions.onLiveNodes(pa(ABC, "a", 3, List.of("a", "c")),
                live("b", "c"), false);
        assertEquals(pa(ABC, "c", 4, List.of("c")), next);
    }

    @Test
    void aDeadLeaderAndDeadFollowersAllLeaveTheIsrAtOnce() {
        PartitionAssignment next = ReplicaDecisions.onLiveNodes(pa(ABC, "a", 3, ABC), live("c"), false);
        assertEquals(pa(ABC, "c", 4, List.of("c")), next);
    }

    @Test
    void aPartitionGoesOfflineWhenNoInSyncReplicaIsLiveButKeepsItsLastIsr() {
        PartitionAssignment next = ReplicaDecisions.onLiveNodes(pa(ABC, "a", 3, List.of("a", "b")),
                live("c"), false);
        assertNull(next.leader());
        assertEquals(4, next.leaderEpoch(), "losing the leader is a leadership change");
        assertEquals(List.of("a", "b"), next.isr());
        assertEquals(ABC, next.replicas());
    }

    @Test
    void anOfflinePartitionStaysAsItIsWhileNoInSyncReplicaReturns() {
        PartitionAssignment offline = pa(ABC, null, 4, List.of("a", "b"));
        assertSame(offline, ReplicaDecisions.onLiveNodes(offline, live("c"), false));
        assertSame(offline, ReplicaDecisions.onLiveNodes(offline, live(), false));
    }

    @Test
    void theFirstInSyncReplicaToComeBackLeadsAgain() {
        PartitionAssignment offline = ReplicaDecisions.onLiveNodes(pa(ABC, "a", 3, List.of("a", "b")),
                live("c"), false);
        PartitionAssignment back = ReplicaDecisions.onLiveNodes(offline, live("b", "c"), false);
        assertEquals(pa(ABC, "b", 5, List.of("b")), back);
    }

    @Test
    void whenSeveralInSyncReplicasComeBackTheFirstInReplicaOrderLeads() {
        PartitionAssignment offline = pa(ABC, null, 4, List.of("b", "a"));
        PartitionAssignment back = ReplicaDecisions.onLiveNodes(offline, live("a", "b", "c"), false);
        assertEquals("a", back.leader());
        assertEquals(5, back.leaderEpoch());
        assertEquals(List.of("b", "a"), back.isr());
    }

    @Test
    void uncleanElectionIsNotUsedWhenTheTopicDoesNotAllowIt() {
        PartitionAssignment next = ReplicaDecisions.onLiveNodes(pa(ABC, "a", 3, List.of("a", "b")),
                live("c"), false);
        assertNull(next.leader(), "c is live but out of sync");
    }

    @Test
    void uncleanElectionMakesALiveOutOfSyncReplicaTheSoleMemberOfTheIsr() {
        PartitionAssignment next = ReplicaDecisions.onLiveNodes(pa(ABC, "a", 3, List.of("a", "b")),
                live("c"), true);
        assertEquals(pa(ABC, "c", 4, List.of("c")), next);
    }

    @Test
    void uncleanElectionAlsoRevivesAnOfflinePartition() {
        PartitionAssignment offline = pa(ABC, null, 4, List.of("a"));
        assertEquals(pa(ABC, "c", 5, List.of("c")), ReplicaDecisions.onLiveNodes(offline, live("c"), true));
    }

    @Test
    void uncleanElectionStillPrefersALiveInSyncReplica() {
        PartitionAssignment next = ReplicaDecisions.onLiveNodes(pa(ABC, "a", 3, List.of("a", "c")),
                live("b", "c"), true);
        assertEquals(pa(ABC, "c", 4, List.of("c")), next);
    }

    @Test
    void uncleanElectionWithNoLiveReplicaLeavesThePartitionOffline() {
        PartitionAssignment next = ReplicaDecisions.onLiveNodes(pa(ABC, "a", 3, List.of("a", "b")),
                live("x"), true);
        assertEquals(pa(ABC, null, 4, List.of("a", "b")), next);
    }

    @Test
    void aReassigningPartitionPrefersATargetReplicaOverOneBeingRemoved() {
        // b is being removed: c, later in replica order but staying, leads instead.
        PartitionAssignment reassigning = new PartitionAssignment(0, ABC, "a", 3, ABC, List.of(), List.of("b"));
        PartitionAssignment next = ReplicaDecisions.onLiveNodes(reassigning, live("b", "c"), false);
        assertEquals(new PartitionAssignment(0, ABC, "c", 4, List.of("b", "c"), List.of(), List.of("b")), next);
    }

    @Test
    void aReplicaBeingRemovedLeadsWhenItIsTheOnlyLiveInSyncReplica() {
        PartitionAssignment reassigning = pa(List.of("a", "b"), "a", 3, List.of("a", "b")).reassigning(List.of("a", "c"));
        assertEquals(List.of("a", "c", "b"), reassigning.replicas());
        PartitionAssignment next = ReplicaDecisions.onLiveNodes(reassigning, live("b", "c"), false);
        assertEquals("b", next.leader());
        assertEquals(4, next.leaderEpoch());
        assertEquals(List.of("b"), next.isr());
        assertEquals(List.of("c"), next.adding(), "the reassignment goes on");
        assertEquals(List.of("b"), next.removing());
    }

    @Test
    void uncleanElectionDuringAReassignmentPicksATargetReplica() {
        PartitionAssignment reassigning = pa(List.of("a", "b"), "a", 3, List.of("a")).reassigning(List.of("a", "c"));
        PartitionAssignment next = ReplicaDecisions.onLiveNodes(reassigning, live("b", "c"), true);
        assertEquals("c", next.leader(), "b is live too, but leaving");
        assertEquals(4, next.leaderEpoch());
        assertEquals(List.of("c"), next.isr());
    }

    // ---- alterIsr: ISR changes asked for by the leader ----

    @Test
    void theLeaderCanShrinkTheIsrInItsEpoch() {
        PartitionAssignment next = ReplicaDecisions.alterIsr(pa(ABC, "a", 2, ABC), "a", 2, List.of("a", "c"));
        assertEquals(pa(ABC, "a", 2, List.of("a", "c")), next);
    }

    @Test
    void theLeaderCanExpandTheIsrInItsEpoch() {
        PartitionAssignment next = ReplicaDecisions.alterIsr(pa(ABC, "a", 2, List.of("a")), "a", 2, List.of("a", "b"));
        assertEquals(pa(ABC, "a", 2, List.of("a", "b")), next);
    }

    @Test
    void theLeaderCanShrinkTheIsrToItselfAlone() {
        PartitionAssignment next = ReplicaDecisions.alterIsr(pa(ABC, "a", 2, ABC), "a", 2, List.of("a"));
        assertEquals(pa(ABC, "a", 2, List.of("a")), next);
    }

    @Test
    void theNewIsrIsOrderedLikeTheReplicas() {
        PartitionAssignment next = ReplicaDecisions.alterIsr(pa(ABC, "a", 2, List.of("a")), "a", 2,
                List.of("c", "a", "b", "c"));
        assertEquals(ABC, next.isr());
    }

    @Test
    void aRequestInAStaleOrFutureEpochIsRejected() {
        PartitionAssignment current = pa(ABC, "a", 2, ABC);
        assertNull(ReplicaDecisions.alterIsr(current, "a", 1, List.of("a", "b")));
        assertNull(ReplicaDecisions.alterIsr(current, "a", 3, List.of("a", "b")));
    }

    @Test
    void aRequestFromANodeThatIsNotTheLeaderIsRejected() {
        PartitionAssignment current = pa(ABC, "a", 2, ABC);
        assertNull(ReplicaDecisions.alterIsr(current, "b", 2, List.of("b", "c")));
        assertNull(ReplicaDecisions.alterIsr(current, "b", 2, List.of("a", "b")));
    }

    @Test
    void aRequestForAPartitionWithoutLeaderIsRejected() {
        assertNull(ReplicaDecisions.alterIsr(pa(ABC, null, 2, List.of("a")), "a", 2, List.of("a")));
    }

    @Test
    void anIsrWithoutTheLeaderIsRejected() {
        assertNull(ReplicaDecisions.alterIsr(pa(ABC, "a", 2, ABC), "a", 2, List.of("b", "c")));
    }

    @Test
    void anIsrWithANodeThatIsNotAReplicaIsRejected() {
        assertNull(ReplicaDecisions.alterIsr(pa(ABC, "a", 2, ABC), "a", 2, List.of("a", "d")));
    }

    @Test
    void thePreferredReplicaRejoiningTheIsrTakesLeadershipBack() {
        PartitionAssignment next = ReplicaDecisions.alterIsr(pa(ABC, "b", 4, List.of("b", "c")), "b", 4, ABC);
        assertEquals(pa(ABC, "a", 5, ABC), next);
    }

    @Test
    void aReplicaBeingAddedCanJoinTheIsrWhileAnotherStillCatchesUp() {
        PartitionAssignment reassigning = pa(List.of("a", "b"), "a", 2, List.of("a", "b")).reassigning(List.of("c", "d"));
        PartitionAssignment next = ReplicaDecisions.alterIsr(reassigning, "a", 2, List.of("a", "b", "c"));
        assertEquals(List.of("c", "d", "a", "b"), next.replicas());
        assertEquals(List.of("c", "a", "b"), next.isr(), "ordered like replicas");
        assertEquals("a", next.leader());
        assertEquals(2, next.leaderEpoch());
        assertTrue(next.reassigning());
    }

    @Test
    void theLastAddedReplicaJoiningTheIsrCompletesTheReassignment() {
        PartitionAssignment reassigning = pa(ABC, "a", 2, ABC).reassigning(List.of("b", "c", "d"));
        PartitionAssignment next = ReplicaDecisions.alterIsr(reassigning, "a", 2, List.of("a", "b", "c", "d"));
        assertEquals(pa(List.of("b", "c", "d"), "b", 3, List.of("b", "c", "d")), next);
        assertFalse(next.reassigning());
    }

    // ---- progress: completing reassignments and preferred leaders ----

    @Test
    void aReassignmentWaitsUntilEveryAddedReplicaIsInSync() {
        PartitionAssignment reassigning = pa(ABC, "a", 2, ABC).reassigning(List.of("a", "d", "e"))
                .withIsr(List.of("a", "d", "b", "c"));
        assertSame(reassigning, ReplicaDecisions.progress(reassigning));
    }

    @Test
    void aCompletedReassignmentAdoptsTheTargetAndDropsRemovedReplicasFromTheIsr() {
        PartitionAssignment reassigning = pa(ABC, "a", 2, ABC).reassigning(List.of("a", "b", "d"));
        assertEquals(List.of("a", "b", "d", "c"), reassigning.replicas());
        PartitionAssignment next = ReplicaDecisions.progress(reassigning.withIsr(List.of("a", "b", "d", "c")));
        assertEquals(pa(List.of("a", "b", "d"), "a", 2, List.of("a", "b", "d")), next);
        assertEquals(List.of(), next.adding());
        assertEquals(List.of(), next.removing());
    }

    @Test
    void aCompletedReassignmentKeepsALeaderThatStaysWithoutBumpingTheEpoch() {
        // b stays and leads; the preferred replica a lags, so nothing else moves.
        PartitionAssignment reassigning = pa(ABC, "b", 5, List.of("b", "c")).reassigning(List.of("a", "b", "d"));
        PartitionAssignment next = ReplicaDecisions.progress(reassigning.withIsr(List.of("b", "d", "c")));
        assertEquals(pa(List.of("a", "b", "d"), "b", 5, List.of("b", "d")), next);
    }

    @Test
    void aRemovedLeaderHandsLeadershipToTheFirstInSyncTargetReplica() {
        PartitionAssignment reassigning = pa(ABC, "a", 2, ABC).reassigning(List.of("b", "c", "d"));
        PartitionAssignment next = ReplicaDecisions.progress(reassigning.withIsr(List.of("b", "c", "d", "a")));
        assertEquals(pa(List.of("b", "c", "d"), "b", 3, List.of("b", "c", "d")), next);
    }

    @Test
    void aRemovedLeaderSkipsATargetReplicaThatIsOutOfSync() {
        PartitionAssignment reassigning = pa(ABC, "a", 2, List.of("a", "c")).reassigning(List.of("b", "c", "d"));
        PartitionAssignment next = ReplicaDecisions.progress(reassigning.withIsr(List.of("c", "d", "a")));
        assertEquals(pa(List.of("b", "c", "d"), "c", 3, List.of("c", "d")), next);
    }

    @Test
    void afterAReassignmentTheNewPreferredReplicaLeadsOnceInSync() {
        PartitionAssignment reassigning = pa(ABC, "a", 2, ABC).reassigning(List.of("d", "a", "b"));
        PartitionAssignment next = ReplicaDecisions.progress(reassigning.withIsr(List.of("d", "a", "b", "c")));
        assertEquals(pa(List.of("d", "a", "b"), "d", 3, List.of("d", "a", "b")), next,
                "one leadership change, one epoch bump");
    }

    @Test
    void thePreferredLeaderIsNotAppliedWhileAReassignmentIsInProgress() {
        PartitionAssignment reassigning = pa(ABC, "a", 2, ABC).reassigning(List.of("d", "e", "a"))
                .withIsr(List.of("d", "a", "b", "c"));
        assertEquals("d", reassigning.replicas().get(0));
        assertSame(reassigning, ReplicaDecisions.progress(reassigning));
    }

    @Test
    void leadershipMovesToThePreferredReplicaOnceItIsInSync() {
        assertEquals(pa(ABC, "a", 5, ABC), ReplicaDecisions.progress(pa(ABC, "b", 4, ABC)));
    }

    @Test
    void thePreferredReplicaDoesNotLeadWhileOutOfSync() {
        PartitionAssignment current = pa(ABC, "b", 4, List.of("b", "c"));
        assertSame(current, ReplicaDecisions.progress(current));
    }

    @Test
    void aPartitionAlreadyLedByItsPreferredReplicaIsLeftAlone() {
        PartitionAssignment current = pa(ABC, "a", 4, ABC);
        assertSame(current, ReplicaDecisions.progress(current));
    }

    @Test
    void progressDoesNotElectALeaderForAnOfflinePartition() {
        PartitionAssignment offline = pa(ABC, null, 4, List.of("a"));
        assertSame(offline, ReplicaDecisions.progress(offline));
    }

    @Test
    void progressIsIdempotent() {
        PartitionAssignment reassigning = pa(ABC, "a", 2, ABC).reassigning(List.of("d", "a", "b"))
                .withIsr(List.of("d", "a", "b", "c"));
        PartitionAssignment once = ReplicaDecisions.progress(reassigning);
        assertSame(once, ReplicaDecisions.progress(once));
    }

    @Test
    void aReassignmentThatAddsNoReplicaDoesNotLeaveThePartitionWithoutInSyncReplicas() {
        PartitionAssignment shrinking = pa(List.of("a", "b"), "b", 3, List.of("b")).reassigning(List.of("a"));
        PartitionAssignment next = ReplicaDecisions.progress(shrinking);
        assertNotNull(next.leader(), "a leader was in sync: " + next);
        assertFalse(next.isr().isEmpty(), "in-sync replicas lost: " + next);
    }

    // ---- controlledShutdown ----

    @Test
    void aShuttingDownLeaderHandsOverToTheNextInSyncLiveReplicaAndLeavesTheIsr() {
        PartitionAssignment next = ReplicaDecisions.controlledShutdown(pa(ABC, "a", 2, ABC), "a", live("a", "b", "c"));
        assertEquals(pa(ABC, "b", 3, List.of("b", "c")), next);
    }

    @Test
    void aShuttingDownLeaderSkipsOutOfSyncReplicas() {
        PartitionAssignment next = ReplicaDecisions.controlledShutdown(pa(ABC, "a", 2, List.of("a", "c")), "a",
                live("a", "b", "c"));
        assertEquals(pa(ABC, "c", 3, List.of("c")), next);
    }

    @Test
    void aShuttingDownLeaderSkipsDeadInSyncReplicas() {
        PartitionAssignment next = ReplicaDecisions.controlledShutdown(pa(ABC, "a", 2, ABC), "a", live("a", "c"));
        assertEquals("c", next.leader());
        assertEquals(3, next.leaderEpoch());
        assertEquals(List.of("b", "c"), next.isr(), "only the shutting-down node leaves the ISR");
    }

    @Test
    void aShuttingDownLeaderWithoutALiveInSyncSuccessorKeepsLeadingAndStaysInTheIsr() {
        PartitionAssignment current = pa(ABC, "a", 2, List.of("a", "b"));
        assertSame(current, ReplicaDecisions.controlledShutdown(current, "a", live("a", "c")));
    }

    @Test
    void theOnlyInSyncReplicaKeepsLeadingAndStaysInTheIsr() {
        PartitionAssignment current = pa(ABC, "a", 2, List.of("a"));
        assertSame(current, ReplicaDecisions.controlledShutdown(current, "a", live("a", "b", "c")));
    }

    @Test
    void aShuttingDownFollowerLeavesTheIsrWithoutALeaderChange() {
        PartitionAssignment next = ReplicaDecisions.controlledShutdown(pa(ABC, "a", 2, ABC), "b", live("a", "b", "c"));
        assertEquals(pa(ABC, "a", 2, List.of("a", "c")), next);
    }

    @Test
    void aShuttingDownFollowerOutsideTheIsrChangesNothing() {
        PartitionAssignment current = pa(ABC, "a", 2, List.of("a", "c"));
        assertSame(current, ReplicaDecisions.controlledShutdown(current, "b", live("a", "b", "c")));
    }

    @Test
    void aShuttingDownNodeWithoutReplicaChangesNothing() {
        PartitionAssignment current = pa(ABC, "a", 2, ABC);
        assertSame(current, ReplicaDecisions.controlledShutdown(current, "d", live("a", "b", "c", "d")));
    }

    // ---- balance: spreading replicas and preferred leaders ----

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void anAlreadyBalancedPlacementIsLeftAsItIs(int offset) {
        List<List<String>> placed = ReplicaAssigner.assign(THREE, 0, 6, 2, offset);
        assertEquals(placed, ReplicaDecisions.balance(assignments(placed), THREE, false));
        assertEquals(placed, ReplicaDecisions.balance(assignments(placed), THREE, true));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void aFourthNodeGetsAnEvenShareOfReplicasAndPreferredLeadersWithMinimalMovement(int offset) {
        List<PartitionAssignment> before = assignments(ReplicaAssigner.assign(THREE, 0, 6, 2, offset));
        List<List<String>> after = ReplicaDecisions.balance(before, FOUR, false);
        assertWellFormed(after, 6, 2, FOUR);
        // 12 replicas over 4 nodes: exactly 3 each; 6 preferred leaders: 1 or 2 each.
        assertEquals(Map.of("n1", 3, "n2", 3, "n3", 3, "n4", 3), replicaCounts(after, FOUR));
        assertEachBetween(leaderCounts(after, FOUR), 1, 2, "preferred leaders");
        assertEquals(3, moved(before, after), "only the 3 replicas n4 needs move");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void twoJoiningNodesGetFloorOrCeilingSharesWithMinimalMovement(int offset) {
        List<PartitionAssignment> before = assignments(ReplicaAssigner.assign(THREE, 0, 6, 2, offset));
        List<List<String>> after = ReplicaDecisions.balance(before, FIVE, false);
        assertWellFormed(after, 6, 2, FIVE);
        Map<String, Integer> replicas = replicaCounts(after, FIVE);
        // 12 replicas over 5 nodes: 2 or 3 each; the new nodes start from 0 and need 2 each.
        assertEachBetween(replicas, 2, 3, "replicas");
        assertEquals(2, replicas.get("n4"));
        assertEquals(2, replicas.get("n5"));
        assertEachBetween(leaderCounts(after, FIVE), 1, 2, "preferred leaders");
        assertEquals(4, moved(before, after));
    }

    @Test
    void thePartitionOrderIsKept() {
        List<List<String>> placed = List.of(List.of("n1", "n2"), List.of("n2", "n3"), List.of("n3", "n1"));
        List<PartitionAssignment> before = assignments(placed);
        List<List<String>> after = ReplicaDecisions.balance(before, FOUR, false);
        assertEquals(3, after.size());
        // 6 replicas over 4 nodes: floor 1, so n4 takes exactly one; the other partitions keep their sets.
        assertEquals(1, moved(before, after));
        int untouched = 0;
        for (int p = 0; p < 3; p++) {
            if (new HashSet<>(after.get(p)).equals(new HashSet<>(placed.get(p)))) {
                untouched++;
            }
        }
        assertEquals(2, untouched);
        assertEachBetween(replicaCounts(after, FOUR), 1, 2, "replicas");
    }

    @Test
    void evacuateMovesEveryReplicaOffNodesThatAreNotListed() {
        List<List<String>> placed = ReplicaAssigner.assign(FOUR, 0, 6, 2, 0);
        List<PartitionAssignment> before = assignments(placed);
        int onN4 = (int) placed.stream().filter(l -> l.contains("n4")).count();
        List<List<String>> after = ReplicaDecisions.balance(before, THREE, true);
        assertWellFormed(after, 6, 2, THREE);
        assertEquals(Map.of("n1", 4, "n2", 4, "n3", 4), replicaCounts(after, THREE));
        assertEquals(Map.of("n1", 2, "n2", 2, "n3", 2), leaderCounts(after, THREE));
        assertEquals(onN4, moved(before, after), "only n4's replicas move");
        for (int p = 0; p < 6; p++) {
            if (!placed.get(p).contains("n4")) {
                assertEquals(new HashSet<>(placed.get(p)), new HashSet<>(after.get(p)), "partition " + p);
            }
        }
    }

    @Test
    void evacuatingWithReplicationFactorEqualToTheNodeCountPutsEveryPartitionOnEveryNode() {
        List<List<String>> placed = ReplicaAssigner.assign(FOUR, 0, 8, 3, 0);
        List<List<String>> after = ReplicaDecisions.balance(assignments(placed), THREE, true);
        assertWellFormed(after, 8, 3, THREE);
        assertEquals(Map.of("n1", 8, "n2", 8, "n3", 8), replicaCounts(after, THREE));
        assertEachBetween(leaderCounts(after, THREE), 2, 3, "preferred leaders");
    }

    @Test
    void withoutEvacuateReplicasOnUnlistedNodesStayWhereTheyAre() {
        List<List<String>> placed = ReplicaAssigner.assign(FOUR, 0, 6, 2, 0);
        List<List<String>> after = ReplicaDecisions.balance(assignments(placed), THREE, false);
        assertEquals(6, after.size());
        for (int p = 0; p < 6; p++) {
            assertEquals(placed.get(p).contains("n4"), after.get(p).contains("n4"), "partition " + p + ": " + after);
            assertEquals(2, after.get(p).size());
        }
    }

    @Test
    void aReassigningPartitionIsBalancedByItsTargetReplicas() {
        PartitionAssignment reassigning = pa(List.of("n1", "n2", "n3"), "n1", 0, List.of("n1", "n2", "n3"))
                .reassigning(List.of("n1", "n2"));
        assertEquals(List.of(List.of("n1", "n2")),
                ReplicaDecisions.balance(List.of(reassigning), List.of("n1", "n2"), false));
    }

    @Test
    void preferredLeadersAreSpreadByReorderingAsFewListsAsPossible() {
        List<List<String>> placed = List.of(List.of("a", "b"), List.of("a", "b"), List.of("a", "b"), List.of("a", "b"));
        List<String> nodes = List.of("a", "b");
        List<List<String>> after = ReplicaDecisions.balance(assignments(placed), nodes, false);
        assertEquals(Map.of("a", 2, "b", 2), leaderCounts(after, nodes));
        int reordered = 0;
        for (int p = 0; p < 4; p++) {
            assertEquals(Set.of("a", "b"), new HashSet<>(after.get(p)), "no replica moves");
            if (!after.get(p).equals(placed.get(p))) {
                reordered++;
            }
        }
        assertEquals(2, reordered);
    }

    @Test
    void aNodeAboveTheCeilingIsDrainedEvenWhenNoNodeIsBelowTheFloor() {
        List<List<String>> single = ReplicaDecisions.balance(
                assignments(List.of(List.of("n1"), List.of("n1"))), THREE, false);
        assertEachBetween(replicaCounts(single, THREE), 0, 1, "replicas");

        List<List<String>> skewed = ReplicaDecisions.balance(assignments(List.of(
                List.of("n1", "n2"), List.of("n1", "n3"), List.of("n1", "n4"))), FOUR, false);
        assertEachBetween(replicaCounts(skewed, FOUR), 1, 2, "replicas");
    }

    @Test
    void preferredLeadersSpreadEvenlyWhenItTakesMoreThanOneReorder() {
        List<PartitionAssignment> before = assignments(ReplicaAssigner.assign(THREE, 0, 4, 2, 1));
        List<List<String>> after = ReplicaDecisions.balance(before, FOUR, false);
        assertEquals(Map.of("n1", 2, "n2", 2, "n3", 2, "n4", 2), replicaCounts(after, FOUR));
        assertEquals(Map.of("n1", 1, "n2", 1, "n3", 1, "n4", 1), leaderCounts(after, FOUR));
    }
}

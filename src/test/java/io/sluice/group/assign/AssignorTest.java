package io.sluice.group.assign;

import io.sluice.bus.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AssignorTest {
    static Map<String, Set<String>> members(String topic, String... ids) {
        Map<String, Set<String>> m = new TreeMap<>();
        for (String id : ids) {
            m.put(id, Set.of(topic));
        }
        return m;
    }

    /** Every partition of every read topic to exactly one reader of it. */
    static void assertValid(Map<String, Set<String>> subs, Map<String, Integer> counts, Map<String, List<TopicPartition>> result) {
        assertEquals(subs.keySet(), result.keySet());
        Set<TopicPartition> seen = new HashSet<>();
        for (Map.Entry<String, List<TopicPartition>> e : result.entrySet()) {
            for (TopicPartition tp : e.getValue()) {
                assertTrue(subs.get(e.getKey()).contains(tp.topic()), e.getKey() + " does not read " + tp.topic());
                assertTrue(seen.add(tp), tp + " assigned twice");
            }
        }
        int expected = 0;
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            if (subs.values().stream().anyMatch(s -> s.contains(c.getKey()))) {
                expected += c.getValue();
            }
        }
        assertEquals(expected, seen.size(), "every partition assigned");
    }

    static void assertBalanced(Map<String, List<TopicPartition>> result) {
        int min = result.values().stream().mapToInt(List::size).min().orElse(0);
        int max = result.values().stream().mapToInt(List::size).max().orElse(0);
        assertTrue(max - min <= 1, "balanced: " + result);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sticky", "range", "roundrobin"})
    void threeMembersOverSixPartitionsGetDisjointPairs(String name) {
        PartitionAssignor a = PartitionAssignor.named(name);
        Map<String, Set<String>> subs = members("t", "m1", "m2", "m3");
        Map<String, List<TopicPartition>> r = a.assign(subs, Map.of("t", 6), Map.of());
        assertValid(subs, Map.of("t", 6), r);
        r.values().forEach(list -> assertEquals(2, list.size()));
    }

    @Test
    void rangeGivesConsecutiveRangesPerTopic() {
        Map<String, List<TopicPartition>> r = new RangeAssignor().assign(members("t", "a", "b"), Map.of("t", 5), Map.of());
        assertEquals(List.of(tp(0), tp(1), tp(2)), r.get("a"));
        assertEquals(List.of(tp(3), tp(4)), r.get("b"));
    }

    @Test
    void roundRobinDealsPartitionsInTurn() {
        Map<String, List<TopicPartition>> r = new RoundRobinAssignor().assign(members("t", "a", "b"), Map.of("t", 5), Map.of());
        assertEquals(List.of(tp(0), tp(2), tp(4)), r.get("a"));
        assertEquals(List.of(tp(1), tp(3)), r.get("b"));
    }

    @Test
    void stickyMovesOnePartitionWhenAFourthMemberJoins() {
        StickyAssignor sticky = new StickyAssignor();
        Map<String, Set<String>> three = members("t", "m1", "m2", "m3");
        Map<String, List<TopicPartition>> before = sticky.assign(three, Map.of("t", 6), Map.of());
        Map<String, Set<String>> four = members("t", "m1", "m2", "m3", "m4");
        Map<String, List<TopicPartition>> after = sticky.assign(four, Map.of("t", 6), before);
        assertValid(four, Map.of("t", 6), after);
        assertBalanced(after);
        assertEquals(1, moved(before, after), "one partition moves to the new member");
        assertEquals(1, after.get("m4").size());
        for (String m : List.of("m1", "m2", "m3")) {
            assertTrue(before.get(m).containsAll(after.get(m)), m + " keeps only partitions it had");
        }
    }

    @Test
    void stickyHandsADepartedMembersPartitionsToTheOthersOnly() {
        StickyAssignor sticky = new StickyAssignor();
        Map<String, List<TopicPartition>> before = sticky.assign(members("t", "m1", "m2", "m3"), Map.of("t", 6), Map.of());
        Map<String, Set<String>> two = members("t", "m1", "m3");
        Map<String, List<TopicPartition>> after = sticky.assign(two, Map.of("t", 6), before);
        assertValid(two, Map.of("t", 6), after);
        assertTrue(after.get("m1").containsAll(before.get("m1")));
        assertTrue(after.get("m3").containsAll(before.get("m3")));
        assertEquals(3, after.get("m1").size());
    }

    @Test
    void stickyTakesNewPartitionsAndDropsDeletedTopics() {
        StickyAssignor sticky = new StickyAssignor();
        Map<String, Set<String>> subs = Map.of("a", Set.of("x", "y"), "b", Set.of("x", "y"));
        Map<String, List<TopicPartition>> before = sticky.assign(subs, Map.of("x", 2, "y", 2), Map.of());
        Map<String, List<TopicPartition>> grown = sticky.assign(subs, Map.of("x", 4, "y", 2), before);
        assertValid(subs, Map.of("x", 4, "y", 2), grown);
        assertBalanced(grown);
        assertEquals(0, lost(before, grown), "nobody loses a partition when partitions are added");
        Map<String, List<TopicPartition>> shrunk = sticky.assign(subs, Map.of("x", 4), grown);
        assertValid(subs, Map.of("x", 4), shrunk);
        assertBalanced(shrunk);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sticky", "range", "roundrobin"})
    void randomSubscriptionsAlwaysGiveValidAssignments(String name) {
        PartitionAssignor a = PartitionAssignor.named(name);
        Random random = new Random(42);
        Map<String, List<TopicPartition>> current = Map.of();
        for (int round = 0; round < 300; round++) {
            Map<String, Integer> counts = new HashMap<>();
            for (int t = 0; t < 4; t++) {
                if (random.nextInt(5) > 0) {
                    counts.put("t" + t, 1 + random.nextInt(8));
                }
            }
            Map<String, Set<String>> subs = new TreeMap<>();
            int n = 1 + random.nextInt(6);
            for (int m = 0; m < n; m++) {
                Set<String> topics = new HashSet<>();
                for (int t = 0; t < 4; t++) {
                    if (random.nextBoolean()) {
                        topics.add("t" + t);
                    }
                }
                subs.put("m" + random.nextInt(8), topics);
            }
            Map<String, List<TopicPartition>> r = a.assign(subs, counts, current);
            assertValid(subs, counts, r);
            boolean uniform = subs.values().stream().distinct().count() == 1;
            if (uniform && !name.equals("range")) {
                assertBalanced(r);
            }
            current = r;
        }
    }

    @Test
    void stickyMovementIsMinimalUnderChurn() {
        StickyAssignor sticky = new StickyAssignor();
        Random random = new Random(7);
        List<String> alive = new ArrayList<>(List.of("m0", "m1", "m2"));
        Map<String, List<TopicPartition>> current = sticky.assign(members("t", alive.toArray(String[]::new)), Map.of("t", 12), Map.of());
        int next = 3;
        for (int round = 0; round < 100; round++) {
            if (alive.size() > 1 && random.nextBoolean()) {
                alive.remove(random.nextInt(alive.size()));
            } else {
                alive.add("m" + next++);
            }
            Map<String, List<TopicPartition>> after = sticky.assign(members("t", alive.toArray(String[]::new)), Map.of("t", 12), current);
            assertBalanced(after);
            // Lower bound of moves for a balanced result: partitions of departed members plus
            // what survivors hold above their new ceiling.
            int ceiling = (12 + alive.size() - 1) / alive.size();
            int mustMove = 0;
            for (Map.Entry<String, List<TopicPartition>> e : current.entrySet()) {
                mustMove += alive.contains(e.getKey()) ? Math.max(0, e.getValue().size() - ceiling) : e.getValue().size();
            }
            int floor = 12 / alive.size();
            int under = 0;
            for (String m : alive) {
                under += Math.max(0, floor - current.getOrDefault(m, List.of()).size());
            }
            assertTrue(moved(current, after) <= Math.max(mustMove, under) + alive.size(),
                    "round " + round + ": moved " + moved(current, after) + " for " + current + " -> " + after);
            current = after;
        }
    }

    static TopicPartition tp(int p) {
        return new TopicPartition("t", p);
    }

    /** Partitions whose owner changed (or which were unowned and now are owned). */
    static int moved(Map<String, List<TopicPartition>> before, Map<String, List<TopicPartition>> after) {
        Map<TopicPartition, String> owner = new HashMap<>();
        before.forEach((m, list) -> list.forEach(tp -> owner.put(tp, m)));
        int n = 0;
        for (Map.Entry<String, List<TopicPartition>> e : after.entrySet()) {
            for (TopicPartition tp : e.getValue()) {
                if (!e.getKey().equals(owner.get(tp))) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Partitions a surviving member owned before and not after. */
    static int lost(Map<String, List<TopicPartition>> before, Map<String, List<TopicPartition>> after) {
        int n = 0;
        for (Map.Entry<String, List<TopicPartition>> e : before.entrySet()) {
            List<TopicPartition> now = after.getOrDefault(e.getKey(), List.of());
            for (TopicPartition tp : e.getValue()) {
                if (!now.contains(tp)) {
                    n++;
                }
            }
        }
        return n;
    }
}

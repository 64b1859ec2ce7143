package io.sluice.group.assign;

import io.sluice.bus.TopicPartition;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Divides the partitions a group subscribes to among its members: every partition of a topic
 * goes to exactly one member subscribed to that topic. Implementations are pure and deterministic
 * (same input, same output), so a coordinator that fails over computes the same answer.
 */
public interface PartitionAssignor {
    Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    /** The name members ask for with {@code assignor=}. */
    String name();

    /**
     * @param subscriptions   member id → topics it reads (patterns already resolved)
     * @param partitionCounts topic → number of partitions, for every subscribed topic that exists
     * @param current         the assignment in force (may name departed members or lost partitions);
     *                        only the sticky assignor looks at it
     * @return member id → its partitions, sorted, for every member in {@code subscriptions}
     */
    Map<String, List<TopicPartition>> assign(Map<String, Set<String>> subscriptions, Map<String, Integer> partitionCounts,
                                             Map<String, List<TopicPartition>> current);

    /** The assignor called {@code name}: {@code sticky} (the default), {@code range} or {@code roundrobin}. */
    static PartitionAssignor named(String name) {
        return switch (name == null ? "sticky" : name) {
            case "sticky" -> new StickyAssignor();
            case "range" -> new RangeAssignor();
            case "roundrobin", "round-robin", "round_robin" -> new RoundRobinAssignor();
            default -> throw new IllegalArgumentException("unknown assignor '" + name + "'; use sticky, range or roundrobin");
        };
    }
}

package io.sluice.group.assign;

import io.sluice.bus.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Helpers shared by the assignors. */
public final class Assignments {
    private Assignments() {
    }

    /** Members reading {@code topic}, sorted by id. */
    static List<String> readersOf(String topic, Map<String, Set<String>> subscriptions) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : new TreeMap<>(subscriptions).entrySet()) {
            if (e.getValue().contains(topic)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** Every partition of every topic some member reads, sorted. */
    static List<TopicPartition> allPartitions(Map<String, Set<String>> subscriptions, Map<String, Integer> partitionCounts) {
        List<TopicPartition> out = new ArrayList<>();
        for (Map.Entry<String, Integer> topic : new TreeMap<>(partitionCounts).entrySet()) {
            boolean read = subscriptions.values().stream().anyMatch(s -> s.contains(topic.getKey()));
            if (read) {
                for (int p = 0; p < topic.getValue(); p++) {
                    out.add(new TopicPartition(topic.getKey(), p));
                }
            }
        }
        return out;
    }

    static Map<String, List<TopicPartition>> sorted(Map<String, List<TopicPartition>> assignment) {
        Map<String, List<TopicPartition>> out = new TreeMap<>();
        assignment.forEach((m, list) -> {
            List<TopicPartition> copy = new ArrayList<>(list);
            copy.sort(PartitionAssignor.ORDER);
            out.put(m, copy);
        });
        return out;
    }
}

package io.sluice.group.assign;

import io.sluice.bus.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka's range assignor: per topic, the members reading it (sorted by id) take consecutive
 * ranges of its partitions, the first {@code partitions % members} one more than the rest. Keeps
 * partition {@code n} of co-partitioned topics on the same member.
 */
public final class RangeAssignor implements PartitionAssignor {
    @Override
    public String name() {
        return "range";
    }

    @Override
    public Map<String, List<TopicPartition>> assign(Map<String, Set<String>> subscriptions, Map<String, Integer> partitionCounts,
                                                    Map<String, List<TopicPartition>> current) {
        Map<String, List<TopicPartition>> out = new TreeMap<>();
        subscriptions.keySet().forEach(m -> out.put(m, new ArrayList<>()));
        for (Map.Entry<String, Integer> topic : new TreeMap<>(partitionCounts).entrySet()) {
            List<String> readers = Assignments.readersOf(topic.getKey(), subscriptions);
            if (readers.isEmpty()) {
                continue;
            }
            int partitions = topic.getValue();
            int base = partitions / readers.size();
            int extra = partitions % readers.size();
            int next = 0;
            for (int i = 0; i < readers.size(); i++) {
                int take = base + (i < extra ? 1 : 0);
                for (int k = 0; k < take; k++) {
                    out.get(readers.get(i)).add(new TopicPartition(topic.getKey(), next++));
                }
            }
        }
        return Assignments.sorted(out);
    }
}

package io.sluice.group.assign;

import io.sluice.bus.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka's round-robin assignor: all subscribed partitions, sorted by topic and partition, are
 * dealt one by one to the members (sorted by id), skipping members not subscribed to the topic.
 */
public final class RoundRobinAssignor implements PartitionAssignor {
    @Override
    public String name() {
        return "roundrobin";
    }

    @Override
    public Map<String, List<TopicPartition>> assign(Map<String, Set<String>> subscriptions, Map<String, Integer> partitionCounts,
                                                    Map<String, List<TopicPartition>> current) {
        Map<String, List<TopicPartition>> out = new TreeMap<>();
        subscriptions.keySet().forEach(m -> out.put(m, new ArrayList<>()));
        List<String> members = new ArrayList<>(out.keySet());
        if (members.isEmpty()) {
            return out;
        }
        int cursor = 0;
        for (TopicPartition tp : Assignments.allPartitions(subscriptions, partitionCounts)) {
            for (int tries = 0; tries < members.size(); tries++) {
                String m = members.get(cursor++ % members.size());
                if (subscriptions.get(m).contains(tp.topic())) {
                    out.get(m).add(tp);
                    break;
                }
            }
        }
        return Assignments.sorted(out);
    }
}

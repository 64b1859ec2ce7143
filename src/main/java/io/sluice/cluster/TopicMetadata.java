package io.sluice.cluster;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A topic as the cluster knows it: a unique id (a re-created topic of the same name is a
 * different topic, and stale log directories are recognised by it), the per-topic config
 * overrides by Kafka name, and the assignment of each partition.
 */
public record TopicMetadata(String name, String topicId, Map<String, String> configs,
                            List<PartitionAssignment> partitions) {
    public TopicMetadata {
        configs = new TreeMap<>(configs);
        partitions = List.copyOf(partitions);
    }

    public int partitionCount() {
        return partitions.size();
    }

    public PartitionAssignment partition(int p) {
        return partitions.get(p);
    }

    public boolean internal() {
        return name.startsWith("__");
    }

    public TopicMetadata withPartitions(List<PartitionAssignment> newPartitions) {
        return new TopicMetadata(name, topicId, configs, newPartitions);
    }

    public TopicMetadata withConfigs(Map<String, String> newConfigs) {
        return new TopicMetadata(name, topicId, newConfigs, partitions);
    }
}

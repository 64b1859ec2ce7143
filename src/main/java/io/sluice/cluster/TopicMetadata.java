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

    /** The schema registry's topic (Confluent's {@code kafkastore.topic}): internal, though its name has one underscore. */
    public static final String SCHEMAS_TOPIC = "_schemas";

    /** Written and deleted by the broker only: {@code __}-prefixed topics and {@value #SCHEMAS_TOPIC}. */
    public boolean internal() {
        return name.startsWith("__") || name.equals(SCHEMAS_TOPIC);
    }

    public TopicMetadata withPartitions(List<PartitionAssignment> newPartitions) {
        return new TopicMetadata(name, topicId, configs, newPartitions);
    }

    public TopicMetadata withConfigs(Map<String, String> newConfigs) {
        return new TopicMetadata(name, topicId, newConfigs, partitions);
    }
}

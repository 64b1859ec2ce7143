package io.sluice.cluster;

import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable, versioned snapshot of everything the controller decides: the topics with their
 * configs, partition assignments, leaders, epochs and ISRs. Every change makes a new snapshot
 * with a higher version; nodes keep the highest version they have seen, on disk, so the metadata
 * survives the restart of every node.
 */
public record ClusterMetadata(long version, Map<String, TopicMetadata> topics) {
    public static final ClusterMetadata EMPTY = new ClusterMetadata(0, Map.of());

    public ClusterMetadata {
        topics = new TreeMap<>(topics);
    }

    public TopicMetadata topic(String name) {
        return topics.get(name);
    }

    public ClusterMetadata withTopic(TopicMetadata topic) {
        Map<String, TopicMetadata> next = new TreeMap<>(topics);
        next.put(topic.name(), topic);
        return new ClusterMetadata(version + 1, next);
    }

    public ClusterMetadata withoutTopic(String name) {
        Map<String, TopicMetadata> next = new TreeMap<>(topics);
        next.remove(name);
        return new ClusterMetadata(version + 1, next);
    }
}

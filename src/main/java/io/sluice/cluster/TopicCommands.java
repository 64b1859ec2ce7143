package io.sluice.cluster;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.config.BrokerSettings;
import io.sluice.config.TopicConfig;
import io.sluice.bus.ControllerCommand;
import io.sluice.bus.ControllerCommand.CreateTopics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The controller's topic commands (Kafka's ReplicationControlManager does the same for its
 * controller): each a deterministic function from the committed metadata, the nodes new replicas
 * may go to, and the request, to the next metadata, or a {@link SluiceException} naming what is
 * wrong. The controller loop commits what they return; they commit nothing themselves.
 */
final class TopicCommands {
    private final BrokerSettings broker;

    TopicCommands(BrokerSettings broker) {
        this.broker = broker;
    }

    ClusterMetadata createTopics(ClusterMetadata metadata, List<String> placeable, CreateTopics cmd) {
        String name = cmd.name();
        TopicArguments.validateTopicName(name);
        if (name.startsWith("__") && !cmd.internal()) {
            throw new SluiceException(ErrorCode.INVALID_TOPIC, "topic names starting with '__' are reserved");
        }
        if (metadata.topic(name) != null) {
            throw new SluiceException(ErrorCode.TOPIC_EXISTS, "topic '" + name + "' already exists");
        }
        int partitions = cmd.partitions() == ControllerCommand.DEFAULT ? broker.getInt("num.partitions")
                : TopicArguments.partitions(cmd.partitions());
        int rf = cmd.replicationFactor() == ControllerCommand.DEFAULT ? broker.getInt("default.replication.factor")
                : TopicArguments.replicationFactor(cmd.replicationFactor());
        TopicConfig config = TopicConfig.of(cmd.configs());
        List<String> nodes = placeable;
        if (rf > nodes.size()) {
            throw new SluiceException(ErrorCode.INVALID_REPLICATION_FACTOR, "replication factor " + rf
                    + " is larger than the number of available nodes (" + nodes.size() + ")");
        }
        List<PartitionAssignment> assignments = new ArrayList<>(partitions);
        List<List<String>> replicas = ReplicaAssigner.assign(nodes, 0, partitions, rf, name.hashCode());
        for (int p = 0; p < partitions; p++) {
            List<String> r = replicas.get(p);
            assignments.add(new PartitionAssignment(p, r, r.get(0), 0, r));
        }
        return metadata.withTopic(new TopicMetadata(name, UUID.randomUUID().toString(), config.overrides(), assignments));
    }

    /**
     * Creates {@code __consumer_offsets} unless it exists: {@code offsets.topic.num.partitions}
     * partitions, compacted, replicated {@code offsets.topic.replication.factor} times or on every
     * node when there are fewer. Null when there is nothing to do.
     */
    ClusterMetadata ensureOffsetsTopic(ClusterMetadata metadata, List<String> placeable) {
        String name = "__consumer_offsets";
        if (metadata.topic(name) != null) {
            return null;
        }
        int rf = Math.min(broker.getInt("offsets.topic.replication.factor"), placeable.size());
        Map<String, Object> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", "compact");
        configs.put("segment.bytes", broker.getInt("offsets.topic.segment.bytes"));
        configs.put("min.insync.replicas", Math.min(rf, 2));
        return createTopics(metadata, placeable, new CreateTopics(name, broker.getInt("offsets.topic.num.partitions"),
                rf, configs, true));
    }

    ClusterMetadata deleteTopics(ClusterMetadata metadata, String name) {
        TopicMetadata topic = existing(metadata, name);
        if (topic.internal()) {
            throw new SluiceException(ErrorCode.INVALID_TOPIC, "internal topic '" + name + "' cannot be deleted");
        }
        return metadata.withoutTopic(name);
    }

    ClusterMetadata createPartitions(ClusterMetadata metadata, List<String> placeable, String name, int countValue) {
        TopicMetadata topic = existing(metadata, name);
        int count = TopicArguments.count(countValue);
        if (count <= topic.partitionCount()) {
            throw new SluiceException(ErrorCode.INVALID_PARTITIONS, "topic '" + name + "' already has "
                    + topic.partitionCount() + " partitions; count must be larger (partitions cannot be removed)");
        }
        int rf = topic.partition(0).targetReplicas().size();
        List<String> nodes = placeable;
        if (rf > nodes.size()) {
            throw new SluiceException(ErrorCode.INVALID_REPLICATION_FACTOR, "replication factor " + rf
                    + " is larger than the number of available nodes (" + nodes.size() + ")");
        }
        List<PartitionAssignment> all = new ArrayList<>(topic.partitions());
        List<List<String>> replicas = ReplicaAssigner.assign(nodes, topic.partitionCount(), count - topic.partitionCount(),
                rf, name.hashCode());
        for (int i = 0; i < replicas.size(); i++) {
            List<String> r = replicas.get(i);
            all.add(new PartitionAssignment(topic.partitionCount() + i, r, r.get(0), 0, r));
        }
        return metadata.withTopic(topic.withPartitions(all));
    }

    ClusterMetadata incrementalAlterConfigs(ClusterMetadata metadata, String name, Map<String, Object> changes) {
        TopicMetadata topic = existing(metadata, name);
        if (changes.isEmpty()) {
            throw new SluiceException(ErrorCode.INVALID_CONFIG, "no config changes given");
        }
        TopicConfig updated = TopicConfig.of(topic.configs()).withChanges(changes);
        return metadata.withTopic(topic.withConfigs(updated.overrides()));
    }

    static TopicMetadata existing(ClusterMetadata metadata, String name) {
        TopicMetadata topic = metadata.topic(name);
        if (topic == null) {
            throw new SluiceException(ErrorCode.UNKNOWN_TOPIC, "topic '" + name + "' does not exist");
        }
        return topic;
    }
}

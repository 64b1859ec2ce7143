package io.sluice.cluster;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.config.BrokerSettings;
import io.sluice.config.TopicConfig;
import io.sluice.bus.ControllerCommand;
import io.sluice.bus.ControllerCommand.CreateTopics;
import io.sluice.bus.ControllerReply;

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
        if (name.equals(TopicMetadata.SCHEMAS_TOPIC) && !cmd.internal()) {
            throw new SluiceException(ErrorCode.INVALID_TOPIC, "'" + name + "' is reserved for the schema registry");
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

    /**
     * Creates the schema registry's {@code _schemas} unless it exists: one partition (so that every
     * write is ordered), compacted, replicated {@code schema.registry.topic.replication.factor} times
     * or on every node when there are fewer. Null when there is nothing to do.
     */
    ClusterMetadata ensureSchemasTopic(ClusterMetadata metadata, List<String> placeable) {
        String name = TopicMetadata.SCHEMAS_TOPIC;
        if (metadata.topic(name) != null) {
            return null;
        }
        int rf = Math.min(broker.getInt("schema.registry.topic.replication.factor"), placeable.size());
        Map<String, Object> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", "compact");
        configs.put("min.insync.replicas", Math.min(rf, 2));
        return createTopics(metadata, placeable, new CreateTopics(name, 1, rf, configs, true));
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

    /** Whether {@code command} is one of these topic commands, which {@link #decideAll} can take together. */
    static boolean isTopicCommand(ControllerCommand command) {
        return command instanceof CreateTopics || command instanceof ControllerCommand.DeleteTopics
                || command instanceof ControllerCommand.CreatePartitions
                || command instanceof ControllerCommand.IncrementalAlterConfigs
                || command instanceof ControllerCommand.EnsureOffsetsTopic
                || command instanceof ControllerCommand.EnsureSchemasTopic;
    }

    /** One topic command's decision on {@code metadata}. */
    ControllerResult decide(ClusterMetadata metadata, List<String> placeable, ControllerCommand command) {
        ClusterMetadata next;
        if (command instanceof CreateTopics c) {
            next = createTopics(metadata, placeable, c);
        } else if (command instanceof ControllerCommand.DeleteTopics c) {
            next = deleteTopics(metadata, c.name());
        } else if (command instanceof ControllerCommand.CreatePartitions c) {
            next = createPartitions(metadata, placeable, c.name(), c.count());
        } else if (command instanceof ControllerCommand.IncrementalAlterConfigs c) {
            next = incrementalAlterConfigs(metadata, c.name(), c.changes());
        } else if (command instanceof ControllerCommand.EnsureOffsetsTopic) {
            next = ensureOffsetsTopic(metadata, placeable);
            if (next == null) {
                return ControllerResult.unchanged(new ControllerReply.Committed(metadata.version()));
            }
        } else if (command instanceof ControllerCommand.EnsureSchemasTopic) {
            next = ensureSchemasTopic(metadata, placeable);
            if (next == null) {
                return ControllerResult.unchanged(new ControllerReply.Committed(metadata.version()));
            }
        } else {
            throw new IllegalArgumentException("not a topic command: " + command);
        }
        return ControllerResult.committing(next);
    }

    /** What a run of topic commands decided together: the metadata to commit (null: none) and each command's outcome. */
    record Batch(ClusterMetadata next, List<Outcome> outcomes) {
    }

    /** A command's reply, or the error that refused it; either is sent only once the batch is committed. */
    record Outcome(ControllerReply reply, RuntimeException error) {
    }

    /**
     * Decides {@code commands} one after another, each on the metadata the ones before it left, so
     * that they commit as one version (KRaft's controller appends the records of many requests as
     * one batch): a thousand topics created by eight clients at once cost a hundred and twenty-five
     * quorum rounds and metadata writes, not a thousand. A refused command changes nothing, and the
     * others go on.
     */
    Batch decideAll(ClusterMetadata metadata, List<String> placeable, List<ControllerCommand> commands) {
        ClusterMetadata working = metadata;
        List<Outcome> outcomes = new ArrayList<>(commands.size());
        for (ControllerCommand c : commands) {
            try {
                ControllerResult r = decide(working, placeable, c);
                if (r.next() != null) {
                    working = r.next();
                }
                outcomes.add(new Outcome(r.reply(), null));
            } catch (io.sluice.config.ConfigException e) {
                outcomes.add(new Outcome(null, new SluiceException(ErrorCode.INVALID_CONFIG, e.getMessage())));
            } catch (RuntimeException e) {
                outcomes.add(new Outcome(null, e));
            }
        }
        return new Batch(working == metadata ? null : working, outcomes);
    }

    static TopicMetadata existing(ClusterMetadata metadata, String name) {
        TopicMetadata topic = metadata.topic(name);
        if (topic == null) {
            throw new SluiceException(ErrorCode.UNKNOWN_TOPIC, "topic '" + name + "' does not exist");
        }
        return topic;
    }
}

package io.sluice.cluster;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.config.BrokerSettings;
import io.sluice.config.TopicConfig;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The controller's topic commands (Kafka's ReplicationControlManager does the same for its
 * controller): each a deterministic function from the committed metadata, the nodes new replicas
 * may go to, and the request, to the next metadata, or a {@link SluiceException} naming what is
 * wrong. The controller loop commits what they return; they commit nothing themselves.
 */
final class TopicCommands {
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final int MAX_PARTITIONS = 10_000;

    private final BrokerSettings broker;

    TopicCommands(BrokerSettings broker) {
        this.broker = broker;
    }

    static void validateTopicName(String name) {
        if (name == null || !TOPIC_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new SluiceException(ErrorCode.INVALID_TOPIC, "invalid topic name '" + name
                    + "': use 1 to 249 of a-z A-Z 0-9 . _ -");
        }
    }

    ClusterMetadata createTopic(ClusterMetadata metadata, List<String> placeable, JsonObject cmd) {
        String name = cmd.getString("name");
        validateTopicName(name);
        if (name.startsWith("__") && !cmd.getBoolean("internal", false)) {
            throw new SluiceException(ErrorCode.INVALID_TOPIC, "topic names starting with '__' are reserved");
        }
        if (metadata.topic(name) != null) {
            throw new SluiceException(ErrorCode.TOPIC_EXISTS, "topic '" + name + "' already exists");
        }
        int partitions = positiveInt(cmd.getValue("partitions"), broker.getInt("num.partitions"), "partitions",
                ErrorCode.INVALID_PARTITIONS, MAX_PARTITIONS);
        int rf = positiveInt(cmd.getValue("replication_factor"), broker.getInt("default.replication.factor"),
                "replication_factor", ErrorCode.INVALID_REPLICATION_FACTOR, Short.MAX_VALUE);
        JsonObject configs = cmd.getJsonObject("configs", new JsonObject());
        TopicConfig config = TopicConfig.of(configs.getMap());
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
        JsonObject cmd = new JsonObject().put("name", name).put("internal", true)
                .put("partitions", broker.getInt("offsets.topic.num.partitions")).put("replication_factor", rf)
                .put("configs", new JsonObject().put("cleanup.policy", "compact")
                        .put("segment.bytes", broker.getInt("offsets.topic.segment.bytes"))
                        .put("min.insync.replicas", Math.min(rf, 2)));
        return createTopic(metadata, placeable, cmd);
    }

    ClusterMetadata deleteTopic(ClusterMetadata metadata, String name) {
        TopicMetadata topic = existing(metadata, name);
        if (topic.internal()) {
            throw new SluiceException(ErrorCode.INVALID_TOPIC, "internal topic '" + name + "' cannot be deleted");
        }
        return metadata.withoutTopic(name);
    }

    ClusterMetadata createPartitions(ClusterMetadata metadata, List<String> placeable, String name, Object countValue) {
        TopicMetadata topic = existing(metadata, name);
        int count = positiveInt(countValue, -1, "count", ErrorCode.INVALID_PARTITIONS, MAX_PARTITIONS);
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

    ClusterMetadata alterConfigs(ClusterMetadata metadata, String name, JsonObject changes) {
        TopicMetadata topic = existing(metadata, name);
        if (changes == null || changes.isEmpty()) {
            throw new SluiceException(ErrorCode.INVALID_CONFIG, "no config changes given");
        }
        Map<String, Object> raw = new LinkedHashMap<>(changes.getMap());
        TopicConfig updated = TopicConfig.of(topic.configs()).withChanges(raw);
        return metadata.withTopic(topic.withConfigs(updated.overrides()));
    }

    static TopicMetadata existing(ClusterMetadata metadata, String name) {
        TopicMetadata topic = metadata.topic(name);
        if (topic == null) {
            throw new SluiceException(ErrorCode.UNKNOWN_TOPIC, "topic '" + name + "' does not exist");
        }
        return topic;
    }

    private static int positiveInt(Object value, int dflt, String field, ErrorCode code, int max) {
        if (value == null) {
            if (dflt < 0) {
                throw new SluiceException(code, "'" + field + "' is required");
            }
            return dflt;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
                || ((Number) value).longValue() > max) {
            throw new SluiceException(code, "'" + field + "' must be an integer from 1 to " + max + ", got " + value);
        }
        return ((Number) value).intValue();
    }
}

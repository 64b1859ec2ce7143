package io.sluice.cluster;

import io.sluice.bus.ErrorCode;
import io.sluice.bus.SluiceException;
import io.sluice.config.BrokerSettings;
import io.sluice.config.ConfigException;
import io.sluice.config.TopicConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The controller: the one place where cluster metadata changes. Admin commands arrive on
 * {@value #ADDRESS}; each is validated against the current metadata, turns into a new version,
 * which is written to this node's {@link MetadataStore} before it is published to every node on
 * {@value MetadataSync#ADDRESS}. Commands run one at a time, in arrival order.
 */
public final class ControllerVerticle extends VerticleBase {
    public static final String ADDRESS = "sluice.controller";
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final int MAX_PARTITIONS = 10_000;

    private final MetadataStore store;
    private final MetadataCache cache;
    private final BrokerSettings broker;
    private final LiveNodes liveNodes;
    private ClusterMetadata metadata;
    private MessageConsumer<JsonObject> consumer;
    private Future<?> queue = Future.succeededFuture();

    public ControllerVerticle(MetadataStore store, MetadataCache cache, BrokerSettings broker, LiveNodes liveNodes,
                              ClusterMetadata initial) {
        this.store = store;
        this.cache = cache;
        this.broker = broker;
        this.liveNodes = liveNodes;
        this.metadata = initial;
    }

    @Override
    public Future<?> start() {
        consumer = vertx.eventBus().consumer(ADDRESS, this::enqueue);
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        return consumer.unregister();
    }

    private void enqueue(Message<JsonObject> msg) {
        queue = queue.eventually(() -> handle(msg.body())
                .onSuccess(msg::reply)
                .onFailure(e -> {
                    if (e instanceof SluiceException se) {
                        msg.fail(se.code().code(), se.getMessage());
                    } else {
                        msg.fail(ErrorCode.INTERNAL.code(), String.valueOf(e.getMessage()));
                    }
                }));
    }

    private Future<JsonObject> handle(JsonObject cmd) {
        ClusterMetadata next;
        try {
            String op = cmd.getString("op", "");
            next = switch (op) {
                case "get_metadata" -> null;
                case "create_topic" -> createTopic(cmd);
                case "ensure_offsets_topic" -> ensureOffsetsTopic();
                case "delete_topic" -> deleteTopic(cmd.getString("name"));
                case "create_partitions" -> createPartitions(cmd.getString("name"), cmd.getValue("count"));
                case "alter_configs" -> alterConfigs(cmd.getString("name"), cmd.getJsonObject("changes"));
                default -> throw new SluiceException(ErrorCode.BAD_REQUEST, "unknown controller command '" + op + "'");
            };
        } catch (ConfigException e) {
            return Future.failedFuture(new SluiceException(ErrorCode.INVALID_CONFIG, e.getMessage()));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        if (next == null) {
            return Future.succeededFuture(new JsonObject().put("version", metadata.version())
                    .put("metadata", Buffer.buffer(MetadataStore.toJson(metadata))));
        }
        return commit(next).map(v -> new JsonObject().put("version", next.version()));
    }

    /** Persists, then publishes: a node never acts on metadata the controller could lose. */
    private Future<Void> commit(ClusterMetadata next) {
        return vertx.executeBlocking(() -> {
            store.save(next);
            return null;
        }).map(v -> {
            metadata = next;
            // Applied here first: this node's MetadataSync then skips the version it already has.
            cache.apply(next);
            vertx.eventBus().publish(MetadataSync.ADDRESS, Buffer.buffer(MetadataStore.toJson(next)));
            return null;
        });
    }

    static void validateTopicName(String name) {
        if (name == null || !TOPIC_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new SluiceException(ErrorCode.INVALID_TOPIC, "invalid topic name '" + name
                    + "': use 1 to 249 of a-z A-Z 0-9 . _ -");
        }
    }

    private ClusterMetadata createTopic(JsonObject cmd) {
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
        List<String> nodes = liveNodes.sorted();
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
    private ClusterMetadata ensureOffsetsTopic() {
        String name = "__consumer_offsets";
        if (metadata.topic(name) != null) {
            return null;
        }
        int rf = Math.min(broker.getInt("offsets.topic.replication.factor"), liveNodes.ids().size());
        JsonObject cmd = new JsonObject().put("name", name).put("internal", true)
                .put("partitions", broker.getInt("offsets.topic.num.partitions")).put("replication_factor", rf)
                .put("configs", new JsonObject().put("cleanup.policy", "compact")
                        .put("segment.bytes", broker.getInt("offsets.topic.segment.bytes")));
        return createTopic(cmd);
    }

    private ClusterMetadata deleteTopic(String name) {
        TopicMetadata topic = existing(name);
        if (topic.internal()) {
            throw new SluiceException(ErrorCode.INVALID_TOPIC, "internal topic '" + name + "' cannot be deleted");
        }
        return metadata.withoutTopic(name);
    }

    private ClusterMetadata createPartitions(String name, Object countValue) {
        TopicMetadata topic = existing(name);
        int count = positiveInt(countValue, -1, "count", ErrorCode.INVALID_PARTITIONS, MAX_PARTITIONS);
        if (count <= topic.partitionCount()) {
            throw new SluiceException(ErrorCode.INVALID_PARTITIONS, "topic '" + name + "' already has "
                    + topic.partitionCount() + " partitions; count must be larger (partitions cannot be removed)");
        }
        int rf = topic.partition(0).replicas().size();
        List<String> nodes = liveNodes.sorted();
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

    private ClusterMetadata alterConfigs(String name, JsonObject changes) {
        TopicMetadata topic = existing(name);
        if (changes == null || changes.isEmpty()) {
            throw new SluiceException(ErrorCode.INVALID_CONFIG, "no config changes given");
        }
        Map<String, Object> raw = changes.getMap();
        TopicConfig updated = TopicConfig.of(topic.configs()).withChanges(raw);
        return metadata.withTopic(topic.withConfigs(updated.overrides()));
    }

    private TopicMetadata existing(String name) {
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

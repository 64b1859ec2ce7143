package io.sluice.api.http;

import io.sluice.api.ApiErrors;
import io.sluice.api.Api;
import io.sluice.common.ErrorCode;
import io.sluice.bus.OffsetsRequest;
import io.sluice.bus.OffsetsResponse;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.sluice.bus.ControllerCommand;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicArguments;
import io.sluice.cluster.TopicMetadata;
import io.sluice.config.TopicConfig;
import io.sluice.security.AclOperation;
import io.sluice.security.ResourceType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import java.util.Set;

/**
 * Topic administration: create, list, describe (partitions with leader, replicas, ISR and
 * offsets, and effective configs), change configs, add partitions, delete. Changes go through the
 * controller; answers come once this node has applied them.
 */
final class TopicsHandler {
    private static final Set<String> CREATE_FIELDS = Set.of("name", "partitions", "replication_factor", "configs");

    private final Api api;

    TopicsHandler(Api api) {
        this.api = api;
    }

    void create(RoutingContext ctx) {
        JsonObject body = Bodies.jsonObject(ctx);
        for (String field : body.fieldNames()) {
            if (!CREATE_FIELDS.contains(field)) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "unknown field '" + field + "'; expected " + CREATE_FIELDS);
            }
        }
        if (!(body.getValue("name") instanceof String name)) {
            throw new SluiceException(ErrorCode.INVALID_TOPIC, "'name' must be a string");
        }
        Object configs = body.getValue("configs");
        if (configs != null && !(configs instanceof JsonObject)) {
            throw new SluiceException(ErrorCode.INVALID_CONFIG, "'configs' must be an object");
        }
        // Authorized before anything is said about the name (that it exists, or is invalid).
        api.security().access().checkCreateTopic(HttpAuthentication.session(ctx), name);
        // The name first, as the controller checks it first: a bad name is reported before bad counts.
        TopicArguments.validateTopicName(name);
        ControllerCommand.CreateTopics cmd = new ControllerCommand.CreateTopics(name,
                TopicArguments.partitions(body.getValue("partitions")),
                TopicArguments.replicationFactor(body.getValue("replication_factor")),
                configs == null ? Map.of() : ((JsonObject) configs).getMap(), false);
        // A topic just created holds no records: its offsets are all 0, and asking each of its
        // partitions (10,000 of them, some not started yet) would only hold up the answer.
        api.controller().execute(cmd)
                .map(v -> render(api.metadata().topic(name), pa -> NEW_PARTITION))
                .onSuccess(json -> ctx.response().setStatusCode(201).putHeader("content-type", "application/json")
                        .putHeader("location", "/topics/" + name).end(json.toBuffer()))
                .onFailure(ctx::fail);
    }

    void list(RoutingContext ctx) {
        boolean internal = "true".equals(ctx.request().getParam("internal"));
        JsonArray names = new JsonArray();
        var session = HttpAuthentication.session(ctx);
        var access = api.security().access();
        for (TopicMetadata t : api.metadata().current().topics().values()) {
            // Only what the principal may DESCRIBE (Kafka's Metadata answer does the same).
            if ((internal || !t.internal()) && access.allowed(session, AclOperation.DESCRIBE, ResourceType.TOPIC, t.name())) {
                names.add(t.name());
            }
        }
        ctx.json(names);
    }

    void get(RoutingContext ctx) {
        describe(api.metadata().topic(ctx.pathParam("topic"))).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    void alterConfigs(RoutingContext ctx) {
        String name = api.metadata().topic(ctx.pathParam("topic")).name();
        JsonObject body = Bodies.jsonObject(ctx);
        JsonObject changes = body.size() == 1 && body.getValue("configs") instanceof JsonObject c ? c : body;
        api.controller().execute(new ControllerCommand.IncrementalAlterConfigs(name, changes.getMap()))
                .compose(v -> describe(api.metadata().topic(name)))
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }

    void addPartitions(RoutingContext ctx) {
        String name = api.metadata().topic(ctx.pathParam("topic")).name();
        JsonObject body = Bodies.jsonObject(ctx);
        api.controller().execute(new ControllerCommand.CreatePartitions(name, TopicArguments.count(body.getValue("count"))))
                .compose(v -> describe(api.metadata().topic(name)))
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }

    void delete(RoutingContext ctx) {
        String name = api.metadata().topic(ctx.pathParam("topic")).name();
        api.controller().execute(new ControllerCommand.DeleteTopics(name))
                .onSuccess(v -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail);
    }

    /** The offsets of a partition no record has reached. */
    private static final Future<OffsetsResponse> NEW_PARTITION = Future.succeededFuture(new OffsetsResponse(0, 0, 0, -1));

    /** The topic with each partition's placement and offsets, and its effective configs. */
    Future<JsonObject> describe(TopicMetadata topic) {
        List<Future<OffsetsResponse>> offsets = new ArrayList<>();
        for (PartitionAssignment pa : topic.partitions()) {
            offsets.add(api.partitions().offsets(new OffsetsRequest(new TopicPartition(topic.name(), pa.partition()),
                    OffsetsRequest.NO_TIMESTAMP)));
        }
        return Future.join(offsets).map(ignored -> render(topic, pa -> offsets.get(pa.partition())));
    }

    /** The topic as {@link #describe} answers it, with each partition's offsets as {@code offsets} found them. */
    private JsonObject render(TopicMetadata topic, Function<PartitionAssignment, Future<OffsetsResponse>> offsets) {
        JsonArray partitions = new JsonArray();
        for (PartitionAssignment pa : topic.partitions()) {
            JsonObject p = new JsonObject().put("partition", pa.partition()).put("leader", pa.leader())
                    .put("leader_epoch", pa.leaderEpoch()).put("replicas", new JsonArray(pa.replicas()))
                    .put("isr", new JsonArray(pa.isr()));
            Future<OffsetsResponse> o = offsets.apply(pa);
            if (o.succeeded()) {
                p.put("log_start_offset", o.result().logStartOffset()).put("high_watermark", o.result().highWatermark())
                        .put("log_end_offset", o.result().logEndOffset());
            } else {
                p.put("error", ApiErrors.toSluice(o.cause()).getMessage());
            }
            partitions.add(p);
        }
        JsonObject configs = new JsonObject(TopicConfig.of(topic.configs()).effective(api.broker()));
        return new JsonObject().put("name", topic.name()).put("topic_id", topic.topicId())
                .put("internal", topic.internal())
                .put("replication_factor", topic.partition(0).replicas().size())
                .put("partitions", partitions).put("configs", configs)
                .put("config_overrides", new JsonObject(new java.util.TreeMap<String, Object>(topic.configs())));
    }
}

package io.sluice.api.http;

import io.sluice.api.Api;
import io.sluice.api.GroupIds;
import io.sluice.api.OffsetsJson;
import io.sluice.bus.GroupReply.GroupDescription;
import io.sluice.bus.GroupReply.GroupListing;
import io.sluice.bus.GroupReply.ListedGroup;
import io.sluice.bus.GroupReply.MemberDescription;
import io.sluice.bus.GroupReply.PartitionDescription;
import io.sluice.bus.GroupRequest.DeleteGroup;
import io.sluice.bus.GroupRequest.DescribeGroup;
import io.sluice.bus.GroupRequest.OffsetCommit;
import io.sluice.bus.GroupRequest.OffsetFetch;
import io.sluice.bus.GroupRequest.ResetOffsets;
import io.sluice.bus.TopicPartition;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.cluster.ClusterView;
import io.sluice.security.AccessControl;
import io.sluice.security.AclOperation;
import io.sluice.security.ResourceType;
import io.sluice.security.Session;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Consumer group administration: list (asking every node's coordinator), describe, read and
 * commit offsets, reset offsets, delete. Each request goes to the group's coordinator as a typed
 * {@link io.sluice.bus.GroupRequest}; this handler reads the request's JSON into it and renders
 * the typed reply as the API's JSON.
 */
final class GroupsHandler {
    private static final String BAD_RESET_TARGET = "'to' must be earliest, latest, an epoch-ms timestamp or exact";

    private final Api api;

    GroupsHandler(Api api) {
        this.api = api;
    }

    void list(RoutingContext ctx) {
        List<Future<GroupListing>> answers = new ArrayList<>();
        for (ClusterView.NodeInfo node : api.cluster().nodes()) {
            answers.add(api.groups().listGroups(node.id()));
        }
        Session session = HttpAuthentication.session(ctx);
        Future.join(answers).onComplete(ignored -> {
            JsonArray groups = new JsonArray();
            for (Future<GroupListing> a : answers) {
                if (a.succeeded()) {
                    // Only the groups the principal may DESCRIBE (Kafka's ListGroups does the same).
                    a.result().groups().stream()
                            .filter(g -> access().allowed(session, AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId()))
                            .forEach(g -> groups.add(listedJson(g)));
                }
            }
            ctx.json(groups);
        });
    }

    /** (DESCRIBE on the group, by the route; the offsets only of topics the principal may DESCRIBE.) */
    void describe(RoutingContext ctx) {
        Session session = HttpAuthentication.session(ctx);
        api.groups().call(new DescribeGroup(group(ctx))).map(d -> descriptionJson(d, tp -> describable(session, tp)))
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** (DESCRIBE on the group, by the route; the partitions only of topics the principal may DESCRIBE, as Kafka's OffsetFetch.) */
    void offsets(RoutingContext ctx) {
        Session session = HttpAuthentication.session(ctx);
        api.groups().call(new OffsetFetch(group(ctx)))
                .map(o -> new JsonObject().put("group_id", o.groupId()).put("offsets", OffsetsJson.toJson(
                        filterKeys(o.offsets(), tp -> describable(session, tp)))))
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** (READ on the group, by the route; READ on each topic committed to, as Kafka's OffsetCommit.) */
    void commit(RoutingContext ctx) {
        JsonObject body = Bodies.jsonObject(ctx);
        String group = group(ctx);
        OffsetCommit commit = OffsetCommit.fromAdmin(group, OffsetsJson.parse(body.getValue("offsets") instanceof JsonArray a ? a : null));
        checkRead(HttpAuthentication.session(ctx), commit.offsets().keySet());
        api.groups().call(commit).map(c -> new JsonObject().put("offsets", OffsetsJson.toJson(c.offsets())))
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /**
     * {@code {"to": "earliest"|"latest"|<epoch-ms>|"exact", "offsets": [..], "topics": [..]}}: exact
     * (or no {@code to} but {@code offsets}) moves to the offsets given; otherwise to the offsets at
     * that time, of the partitions of {@code topics} or else of those the group committed.
     */
    void reset(RoutingContext ctx) {
        JsonObject body = Bodies.jsonObject(ctx);
        Session session = HttpAuthentication.session(ctx);
        List<String> topics = null;
        if (body.getValue("topics") != null) {
            if (!(body.getValue("topics") instanceof JsonArray array)) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "'topics' must be an array of topic names");
            }
            topics = new ArrayList<>();
            for (Object t : array) {
                access().checkTopic(session, AclOperation.READ, String.valueOf(t));
                topics.add(api.metadata().topic(String.valueOf(t)).name());
            }
        }
        String group = group(ctx);
        Object to = body.getValue("to");
        ResetOffsets reset;
        Future<Void> authorized = Future.succeededFuture();
        if ("exact".equals(to) || (to == null && body.getValue("offsets") != null)) {
            reset = ResetOffsets.toExact(group, OffsetsJson.parse(body.getValue("offsets") instanceof JsonArray a ? a : null));
            checkRead(session, reset.exact().keySet());
        } else {
            reset = ResetOffsets.toTimestamp(group, resetTimestamp(to), topics);
            if (topics == null && access().enabled()) {
                // The partitions the group committed: READ on each of their topics.
                authorized = api.groups().call(new OffsetFetch(group)).map(o -> {
                    checkRead(session, o.offsets().keySet());
                    return null;
                });
            }
        }
        ResetOffsets resetting = reset;
        authorized.compose(v -> api.groups().call(resetting))
                .map(c -> new JsonObject().put("offsets", OffsetsJson.toJson(c.offsets())))
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }

    private AccessControl access() {
        return api.security().access();
    }

    private boolean describable(Session session, TopicPartition tp) {
        return access().allowed(session, AclOperation.DESCRIBE, ResourceType.TOPIC, tp.topic());
    }

    /** A 403 unless {@code session} may READ the topic of every partition. */
    private void checkRead(Session session, java.util.Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            access().checkTopic(session, AclOperation.READ, tp.topic());
        }
    }

    private static <V> java.util.Map<TopicPartition, V> filterKeys(java.util.Map<TopicPartition, V> map,
                                                                  java.util.function.Predicate<TopicPartition> keep) {
        java.util.Map<TopicPartition, V> out = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (keep.test(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    void delete(RoutingContext ctx) {
        api.groups().call(new DeleteGroup(group(ctx))).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    private static String group(RoutingContext ctx) {
        String group = ctx.pathParam("group");
        GroupIds.validate(group);
        return group;
    }

    /** A reset's {@code to} other than exact, as the timestamp {@link ResetOffsets} takes, or a 400. */
    private static long resetTimestamp(Object to) {
        if ("earliest".equals(to)) {
            return ResetOffsets.EARLIEST;
        } else if ("latest".equals(to)) {
            return ResetOffsets.LATEST;
        } else if (to instanceof Number n && n.longValue() >= 0) {
            return n.longValue();
        } else if (to instanceof String s && s.matches("\\d+")) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, BAD_RESET_TARGET); // past Long.MAX_VALUE
            }
        }
        throw new SluiceException(ErrorCode.BAD_REQUEST, BAD_RESET_TARGET);
    }

    private static JsonObject listedJson(ListedGroup g) {
        return new JsonObject().put("group_id", g.groupId()).put("state", g.state()).put("members", g.members())
                .put("coordinator", g.coordinator());
    }

    private static JsonObject descriptionJson(GroupDescription d, java.util.function.Predicate<TopicPartition> shown) {
        JsonArray members = new JsonArray();
        for (MemberDescription m : d.members()) {
            members.add(new JsonObject().put("member_id", m.memberId()).put("node", m.node()).put("client", m.client())
                    .put("subscription", new JsonArray(m.subscription())).put("assignment", partitionsJson(m.assignment())));
        }
        JsonArray offsets = new JsonArray();
        for (PartitionDescription p : d.offsets()) {
            if (!shown.test(p.tp())) {
                continue;
            }
            // Unknown values are there as null, except lag, which is left out without a high watermark.
            JsonObject o = new JsonObject().put("topic", p.tp().topic()).put("partition", p.tp().partition())
                    .put("committed_offset", p.committedOffset()).put("high_watermark", p.highWatermark());
            if (p.lag() != null) {
                o.put("lag", p.lag());
            }
            offsets.add(o.put("owner", p.owner()));
        }
        return new JsonObject().put("group_id", d.groupId()).put("state", d.state()).put("generation", d.generation())
                .put("assignor", d.assignor()).put("members", members).put("offsets", offsets);
    }

    private static JsonArray partitionsJson(List<TopicPartition> partitions) {
        JsonArray out = new JsonArray();
        for (TopicPartition tp : partitions) {
            out.add(new JsonObject().put("topic", tp.topic()).put("partition", tp.partition()));
        }
        return out;
    }
}

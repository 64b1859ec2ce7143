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
        Future.join(answers).onComplete(ignored -> {
            JsonArray groups = new JsonArray();
            for (Future<GroupListing> a : answers) {
                if (a.succeeded()) {
                    a.result().groups().forEach(g -> groups.add(listedJson(g)));
                }
            }
            ctx.json(groups);
        });
    }

    void describe(RoutingContext ctx) {
        api.groups().call(new DescribeGroup(group(ctx))).map(GroupsHandler::descriptionJson)
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }

    void offsets(RoutingContext ctx) {
        api.groups().call(new OffsetFetch(group(ctx)))
                .map(o -> new JsonObject().put("group_id", o.groupId()).put("offsets", OffsetsJson.toJson(o.offsets())))
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }

    void commit(RoutingContext ctx) {
        JsonObject body = Bodies.jsonObject(ctx);
        String group = group(ctx);
        OffsetCommit commit = OffsetCommit.fromAdmin(group, OffsetsJson.parse(body.getValue("offsets") instanceof JsonArray a ? a : null));
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
        List<String> topics = null;
        if (body.getValue("topics") != null) {
            if (!(body.getValue("topics") instanceof JsonArray array)) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "'topics' must be an array of topic names");
            }
            topics = new ArrayList<>();
            for (Object t : array) {
                topics.add(api.metadata().topic(String.valueOf(t)).name());
            }
        }
        String group = group(ctx);
        Object to = body.getValue("to");
        ResetOffsets reset;
        if ("exact".equals(to) || (to == null && body.getValue("offsets") != null)) {
            reset = ResetOffsets.toExact(group, OffsetsJson.parse(body.getValue("offsets") instanceof JsonArray a ? a : null));
        } else {
            reset = ResetOffsets.toTimestamp(group, resetTimestamp(to), topics);
        }
        api.groups().call(reset).map(c -> new JsonObject().put("offsets", OffsetsJson.toJson(c.offsets())))
                .onSuccess(ctx::json).onFailure(ctx::fail);
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

    private static JsonObject descriptionJson(GroupDescription d) {
        JsonArray members = new JsonArray();
        for (MemberDescription m : d.members()) {
            members.add(new JsonObject().put("member_id", m.memberId()).put("node", m.node()).put("client", m.client())
                    .put("subscription", new JsonArray(m.subscription())).put("assignment", partitionsJson(m.assignment())));
        }
        JsonArray offsets = new JsonArray();
        for (PartitionDescription p : d.offsets()) {
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

package io.sluice.api.http;

import io.sluice.api.Api;
import io.sluice.api.GroupIds;
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
 * commit offsets, reset offsets, delete. Each request goes to the group's coordinator.
 */
final class GroupsHandler {
    private final Api api;

    GroupsHandler(Api api) {
        this.api = api;
    }

    void list(RoutingContext ctx) {
        List<Future<JsonObject>> answers = new ArrayList<>();
        for (ClusterView.NodeInfo node : api.cluster().nodes()) {
            answers.add(api.groups().callNode(node.id(), new JsonObject().put("op", "list")));
        }
        Future.join(answers).onComplete(ignored -> {
            JsonArray groups = new JsonArray();
            for (Future<JsonObject> a : answers) {
                if (a.succeeded()) {
                    a.result().getJsonArray("groups").forEach(groups::add);
                }
            }
            ctx.json(groups);
        });
    }

    void describe(RoutingContext ctx) {
        call(ctx, "describe", new JsonObject()).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    void offsets(RoutingContext ctx) {
        call(ctx, "fetch_offsets", new JsonObject()).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    void commit(RoutingContext ctx) {
        JsonObject body = Bodies.jsonObject(ctx);
        call(ctx, "commit_offsets", new JsonObject().put("offsets", body.getValue("offsets") instanceof JsonArray a ? a : null))
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }

    void reset(RoutingContext ctx) {
        JsonObject body = Bodies.jsonObject(ctx);
        JsonObject req = new JsonObject().put("to", body.getValue("to"));
        if (body.getValue("offsets") != null) {
            req.put("offsets", body.getValue("offsets") instanceof JsonArray a ? a : null);
        }
        if (body.getValue("topics") != null) {
            if (!(body.getValue("topics") instanceof JsonArray topics)) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "'topics' must be an array of topic names");
            }
            topics.forEach(t -> api.metadata().topic(String.valueOf(t)));
            req.put("topics", topics);
        }
        call(ctx, "reset", req).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    void delete(RoutingContext ctx) {
        call(ctx, "delete", new JsonObject()).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    private Future<JsonObject> call(RoutingContext ctx, String op, JsonObject req) {
        String group = ctx.pathParam("group");
        GroupIds.validate(group);
        return api.groups().call(group, req.put("op", op));
    }
}

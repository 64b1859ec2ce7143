package io.sluice.api.http;

import io.sluice.api.Api;
import io.sluice.bus.ControllerCommand;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.security.AclBinding;
import io.sluice.security.AclFilter;
import io.sluice.security.AclOperation;
import io.sluice.security.AclPermission;
import io.sluice.security.PatternType;
import io.sluice.security.ResourceType;
import io.sluice.security.ScramCredentials;
import io.sluice.security.ScramUser;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Users and ACLs: {@code POST/GET /users}, {@code DELETE /users/{name}}, {@code POST/GET/DELETE /acls}.
 * Changes go through the controller into the replicated metadata; a password is turned into its
 * SCRAM credentials here, on a worker, and goes no further (nor into any answer or message).
 * Authorized by the routes (ALTER on the cluster to change, DESCRIBE to list).
 */
final class SecurityHandler {
    private static final Set<String> USER_FIELDS = Set.of("name", "password");
    private static final Set<String> ACL_FIELDS = Set.of("principal", "resource_type", "pattern_type", "resource_name",
            "operation", "permission", "host");
    private static final int MAX_PASSWORD_CHARS = 1024;

    private final Api api;

    SecurityHandler(Api api) {
        this.api = api;
    }

    /** Creates a user, or replaces its password (an upsert, as Kafka's AlterUserScramCredentials): 201, or 200 when it existed. */
    void createUser(RoutingContext ctx) {
        JsonObject body = userBody(ctx.body().buffer());
        for (String field : body.fieldNames()) {
            if (!USER_FIELDS.contains(field)) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "unknown field '" + field + "'; expected " + USER_FIELDS);
            }
        }
        if (!(body.getValue("name") instanceof String name)) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "'name' must be a string");
        }
        try {
            ScramUser.validateName(name);
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, e.getMessage());
        }
        if (!(body.getValue("password") instanceof String password) || password.isEmpty() || password.length() > MAX_PASSWORD_CHARS) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "'password' must be a string of 1 to " + MAX_PASSWORD_CHARS + " characters");
        }
        boolean existed = api.metadata().current().user(name) != null;
        api.vertx().executeBlocking(() -> ScramCredentials.newUser(name, password.toCharArray()), false)
                .compose(user -> api.controller().execute(new ControllerCommand.AlterUserScramCredentials(user, false)).map(user))
                .onSuccess(user -> ctx.response().setStatusCode(existed ? 200 : 201).putHeader("content-type", "application/json")
                        .end(userJson(user).toBuffer()))
                .onFailure(ctx::fail);
    }

    void listUsers(RoutingContext ctx) {
        JsonArray users = new JsonArray();
        api.metadata().current().users().values().forEach(u -> users.add(userJson(u)));
        ctx.json(users);
    }

    void deleteUser(RoutingContext ctx) {
        api.controller().execute(new ControllerCommand.DeleteUser(ctx.pathParam("user")))
                .onSuccess(v -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail);
    }

    void createAcl(RoutingContext ctx) {
        JsonObject body = Bodies.jsonObject(ctx);
        for (String field : body.fieldNames()) {
            if (!ACL_FIELDS.contains(field)) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "unknown field '" + field + "'; expected " + ACL_FIELDS);
            }
        }
        AclBinding acl = parse(() -> new AclBinding(string(body, "principal"), ResourceType.parse(string(body, "resource_type")),
                body.getValue("pattern_type") == null ? PatternType.LITERAL : PatternType.parse(string(body, "pattern_type")),
                string(body, "resource_name"), AclOperation.parse(string(body, "operation")),
                body.getValue("permission") == null ? AclPermission.ALLOW : AclPermission.parse(string(body, "permission")),
                string(body, "host")));
        api.controller().execute(new ControllerCommand.CreateAcls(List.of(acl)))
                .onSuccess(v -> ctx.response().setStatusCode(201).putHeader("content-type", "application/json")
                        .end(aclJson(acl).toBuffer()))
                .onFailure(ctx::fail);
    }

    /** The ACLs the query's fields match (each absent field matches any). */
    void listAcls(RoutingContext ctx) {
        AclFilter filter = filter(ctx.queryParams()::get, ctx.queryParams().names());
        JsonArray out = new JsonArray();
        api.metadata().current().acls().stream().filter(filter::matches).forEach(a -> out.add(aclJson(a)));
        ctx.json(out);
    }

    /**
     * Deletes the ACLs a filter matches: its fields as query parameters, or as a JSON body; at least
     * one field, so that no slip deletes every ACL. Answers {@code {"deleted":[...]}}.
     */
    void deleteAcls(RoutingContext ctx) {
        Buffer raw = ctx.body().buffer();
        AclFilter filter;
        if (raw != null && raw.length() > 0) {
            JsonObject body = Bodies.jsonObject(ctx);
            filter = filter(f -> body.getValue(f) == null ? null : String.valueOf(body.getValue(f)), body.fieldNames());
        } else {
            MultiMap query = ctx.queryParams();
            filter = filter(query::get, query.names());
        }
        if (filter.equals(AclFilter.ANY)) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "give at least one of " + ACL_FIELDS + " to choose the ACLs to delete");
        }
        api.controller().deleteAcls(List.of(filter))
                .onSuccess(deleted -> {
                    JsonArray out = new JsonArray();
                    deleted.forEach(a -> out.add(aclJson(a)));
                    ctx.json(new JsonObject().put("deleted", out));
                })
                .onFailure(ctx::fail);
    }

    private static AclFilter filter(Function<String, String> field, Set<String> given) {
        for (String f : given) {
            if (!ACL_FIELDS.contains(f)) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "unknown filter '" + f + "'; expected " + ACL_FIELDS);
            }
        }
        return parse(() -> new AclFilter(field.apply("principal"), optional(field.apply("resource_type"), ResourceType::parse),
                optional(field.apply("pattern_type"), PatternType::parse), field.apply("resource_name"),
                optional(field.apply("operation"), AclOperation::parse), optional(field.apply("permission"), AclPermission::parse),
                field.apply("host")));
    }

    private static <T> T optional(String value, Function<String, T> parse) {
        return value == null ? null : parse.apply(value);
    }

    /** What the ACL model refuses, as a 400. */
    private static <T> T parse(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, String.valueOf(e.getMessage()));
        }
    }

    private static String string(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (v != null && !(v instanceof String)) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a string");
        }
        return (String) v;
    }

    /**
     * The body of {@code POST /users}. Not {@link Bodies#jsonObject}: a parser's message quotes the
     * text it stumbled on, which here may be the password.
     */
    private static JsonObject userBody(Buffer body) {
        String text = body == null ? "" : body.toString(StandardCharsets.UTF_8).trim();
        try {
            return new JsonObject(text);
        } catch (RuntimeException e) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "body must be a JSON object {\"name\": ..., \"password\": ...}");
        }
    }

    /** A user as the API shows it: its name and mechanisms, never a credential. */
    static JsonObject userJson(ScramUser user) {
        JsonArray mechanisms = new JsonArray();
        user.credentials().keySet().forEach(m -> mechanisms.add(m.mechanismName()));
        return new JsonObject().put("name", user.name()).put("mechanisms", mechanisms);
    }

    static JsonObject aclJson(AclBinding acl) {
        return new JsonObject().put("principal", acl.principal()).put("resource_type", acl.resourceType().apiName())
                .put("pattern_type", acl.patternType().apiName()).put("resource_name", acl.resourceName())
                .put("operation", acl.operation().apiName()).put("permission", acl.permission().apiName())
                .put("host", acl.host());
    }
}

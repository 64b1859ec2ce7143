package io.sluice.api.http;

import io.sluice.bus.RegistryCommand;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.registry.RegistryError;
import io.sluice.schema.registry.RegistryState;
import io.sluice.schema.registry.SchemaRegistry;
import io.sluice.schema.registry.SchemasTopic.SchemaValue;
import io.sluice.security.AccessControl;
import io.sluice.security.AclOperation;
import io.sluice.security.ResourceType;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * Confluent's {@code /subjects} endpoints: register, look up, list subjects and versions, read a
 * version (whole, or its raw schema), what references it, and soft and permanent deletes. Writes go
 * to the registry's leader; reads are answered from this node's copy once caught up
 * ({@link SchemaRegistry#fresh}).
 */
final class RegistrySubjectsHandler {
    private final SchemaRegistry registry;
    private final AccessControl access;

    RegistrySubjectsHandler(SchemaRegistry registry, AccessControl access) {
        this.registry = registry;
        this.access = access;
    }

    /** POST /subjects/{s}/versions */
    void register(RoutingContext ctx) {
        RegistrySchemaRequest req = RegistrySchemaRequest.of(RegistryHttp.jsonBody(ctx));
        RegistryHttp.answer(ctx, registry.write(req.register(subject(ctx), RegistryHttp.flag(ctx, "normalize"))));
    }

    /** POST /subjects/{s}: the version of the subject that holds this schema. */
    void lookup(RoutingContext ctx) {
        RegistrySchemaRequest req = RegistrySchemaRequest.of(RegistryHttp.jsonBody(ctx));
        String subject = subject(ctx);
        boolean deleted = RegistryHttp.flag(ctx, "deleted");
        boolean normalize = RegistryHttp.flag(ctx, "normalize");
        registry.fresh().onComplete(ar -> {
            try {
                RegistryState s = ar.result();
                if (!s.exists(subject)) {
                    throw subjectNotFound(subject);
                }
                ParsedSchema parsed = s.parse(req.type(), req.schema(), req.references());
                if (normalize) {
                    parsed = s.parse(req.type(), parsed.normalize().originalString(), req.references());
                }
                Integer id = s.idOf(parsed);
                SchemaValue v = id == null ? null : s.versionWithId(subject, id, deleted);
                if (v == null) {
                    throw RegistryError.SCHEMA_NOT_FOUND.exception("Schema not found");
                }
                RegistryHttp.okJson(ctx, RegistrySchemaRequest.versionJson(v));
            } catch (RuntimeException e) {
                RegistryHttp.fail(ctx, e);
            }
        });
    }

    /** GET /subjects: those the principal may describe. */
    void list(RoutingContext ctx) {
        boolean deleted = RegistryHttp.flag(ctx, "deleted");
        String prefix = ctx.request().getParam("subjectPrefix");
        registry.fresh().onComplete(ar -> {
            List<String> subjects = ar.result().subjects(deleted, prefix == null || prefix.equals(":*:") ? null : prefix);
            if (access.enabled()) {
                subjects = subjects.stream().filter(s -> access.allowed(HttpAuthentication.session(ctx), AclOperation.DESCRIBE,
                        ResourceType.SUBJECT, s)).toList();
            }
            RegistryHttp.okJson(ctx, new JsonArray(subjects));
        });
    }

    /** GET /subjects/{s}/versions */
    void versions(RoutingContext ctx) {
        String subject = subject(ctx);
        boolean deleted = RegistryHttp.flag(ctx, "deleted");
        registry.fresh().onComplete(ar -> {
            List<SchemaValue> versions = ar.result().versions(subject, deleted);
            if (versions.isEmpty()) {
                RegistryHttp.fail(ctx, subjectNotFound(subject));
                return;
            }
            RegistryHttp.okJson(ctx, new JsonArray(versions.stream().map(SchemaValue::version).toList()));
        });
    }

    /** GET /subjects/{s}/versions/{v} */
    void version(RoutingContext ctx) {
        withVersion(ctx, v -> RegistryHttp.okJson(ctx, RegistrySchemaRequest.versionJson(v)));
    }

    /** GET /subjects/{s}/versions/{v}/schema: the schema text alone. */
    void rawSchema(RoutingContext ctx) {
        withVersion(ctx, v -> RegistryHttp.ok(ctx, v.schema()));
    }

    /** GET /subjects/{s}/versions/{v}/referencedby: the ids of the schemas that reference it. */
    void referencedBy(RoutingContext ctx) {
        String subject = subject(ctx);
        withVersion(ctx, v -> RegistryHttp.okJson(ctx, new JsonArray(registry.current().referencedBy(subject, v.version()))));
    }

    private void withVersion(RoutingContext ctx, java.util.function.Consumer<SchemaValue> then) {
        String subject = subject(ctx);
        int version = RegistryHttp.version(ctx.pathParam("version"));
        boolean deleted = RegistryHttp.flag(ctx, "deleted");
        registry.fresh().onComplete(ar -> {
            RegistryState s = ar.result();
            if (!s.exists(subject) || (!deleted && s.versions(subject, false).isEmpty())) {
                RegistryHttp.fail(ctx, subjectNotFound(subject));
                return;
            }
            SchemaValue v = s.versionOrNull(subject, version, deleted);
            if (v == null) {
                RegistryHttp.fail(ctx, RegistryError.VERSION_NOT_FOUND.exception("Version " + ctx.pathParam("version") + " not found."));
                return;
            }
            then.accept(v);
        });
    }

    /** DELETE /subjects/{s} */
    void deleteSubject(RoutingContext ctx) {
        RegistryHttp.answer(ctx, registry.write(new RegistryCommand.DeleteSubject(subject(ctx), RegistryHttp.flag(ctx, "permanent"))));
    }

    /** DELETE /subjects/{s}/versions/{v} */
    void deleteVersion(RoutingContext ctx) {
        int version = RegistryHttp.version(ctx.pathParam("version"));
        RegistryHttp.answer(ctx, registry.write(new RegistryCommand.DeleteVersion(subject(ctx), version,
                RegistryHttp.flag(ctx, "permanent"))));
    }

    static String subject(RoutingContext ctx) {
        return ctx.pathParam("subject");
    }

    static io.sluice.schema.registry.RegistryException subjectNotFound(String subject) {
        return RegistryError.SUBJECT_NOT_FOUND.exception("Subject '" + subject + "' not found.");
    }
}

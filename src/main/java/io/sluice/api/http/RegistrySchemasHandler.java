package io.sluice.api.http;

import io.sluice.schema.CompatibilityLevel;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaType;
import io.sluice.schema.registry.RegistryError;
import io.sluice.schema.registry.RegistryState;
import io.sluice.schema.registry.SchemaRegistry;
import io.sluice.schema.registry.SchemasTopic.SchemaValue;
import io.sluice.security.AccessControl;
import io.sluice.security.AclOperation;
import io.sluice.security.ResourceType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Confluent's {@code /schemas} endpoints (a schema by its global id, its subjects and versions, the
 * schema types this node speaks) and {@code /compatibility} (whether a schema may follow one version,
 * or the versions its subject's level checks). A schema by id is readable by whoever may READ one
 * of the subjects that hold it.
 */
final class RegistrySchemasHandler {
    private final SchemaRegistry registry;
    private final AccessControl access;

    RegistrySchemasHandler(SchemaRegistry registry, AccessControl access) {
        this.registry = registry;
        this.access = access;
    }

    /** GET /schemas/ids/{id} */
    void byId(RoutingContext ctx) {
        withSchema(ctx, s -> RegistryHttp.okJson(ctx, RegistrySchemaRequest.schemaJson(s)));
    }

    /** GET /schemas/ids/{id}/schema */
    void rawById(RoutingContext ctx) {
        withSchema(ctx, s -> RegistryHttp.ok(ctx, s.schema()));
    }

    /** GET /schemas/ids/{id}/subjects */
    void subjectsById(RoutingContext ctx) {
        boolean deleted = RegistryHttp.flag(ctx, "deleted");
        withSchema(ctx, s -> RegistryHttp.okJson(ctx, new JsonArray(readable(ctx, registry.current().usesOf(s.id(), deleted))
                .stream().map(SchemaValue::subject).distinct().toList())));
    }

    /** GET /schemas/ids/{id}/versions */
    void versionsById(RoutingContext ctx) {
        boolean deleted = RegistryHttp.flag(ctx, "deleted");
        withSchema(ctx, s -> {
            JsonArray out = new JsonArray();
            for (SchemaValue v : readable(ctx, registry.current().usesOf(s.id(), deleted))) {
                out.add(new JsonObject().put("subject", v.subject()).put("version", v.version()));
            }
            RegistryHttp.okJson(ctx, out);
        });
    }

    /** GET /schemas/types */
    void types(RoutingContext ctx) {
        List<String> types = new ArrayList<>();
        for (SchemaType t : registry.providers().types()) {
            types.add(t.name());
        }
        RegistryHttp.okJson(ctx, new JsonArray(types));
    }

    private void withSchema(RoutingContext ctx, java.util.function.Consumer<RegistryState.StoredSchema> then) {
        int id = id(ctx.pathParam("id"));
        String subject = ctx.request().getParam("subject");
        registry.fresh().onComplete(ar -> {
            RegistryState s = ar.result();
            RegistryState.StoredSchema schema = s.schema(id);
            List<SchemaValue> uses = s.usesOf(id, true);
            if (schema == null || (subject != null && !subject.isEmpty() && s.versionWithId(subject, id, true) == null)) {
                RegistryHttp.fail(ctx, schemaNotFound(id));
                return;
            }
            if (access.enabled() && readable(ctx, uses).isEmpty()) {
                RegistryHttp.fail(ctx, AccessControl.forbidden());
                return;
            }
            then.accept(schema);
        });
    }

    private List<SchemaValue> readable(RoutingContext ctx, List<SchemaValue> uses) {
        if (!access.enabled()) {
            return uses;
        }
        return uses.stream().filter(v -> access.allowed(HttpAuthentication.session(ctx), AclOperation.READ,
                ResourceType.SUBJECT, v.subject())).toList();
    }

    private static int id(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw schemaNotFound(text);
        }
    }

    private static io.sluice.schema.registry.RegistryException schemaNotFound(Object id) {
        return RegistryError.SCHEMA_NOT_FOUND.exception("Schema " + id + " not found");
    }

    /** POST /compatibility/subjects/{s}/versions/{v} and POST /compatibility/subjects/{s}/versions */
    void compatibility(RoutingContext ctx) {
        RegistrySchemaRequest req = RegistrySchemaRequest.of(RegistryHttp.jsonBody(ctx));
        String subject = RegistrySubjectsHandler.subject(ctx);
        String versionText = ctx.pathParam("version");
        int version = versionText == null ? 0 : RegistryHttp.version(versionText);
        boolean verbose = RegistryHttp.flag(ctx, "verbose");
        boolean normalize = RegistryHttp.flag(ctx, "normalize");
        registry.fresh().onComplete(ar -> {
            try {
                RegistryState s = ar.result();
                List<SchemaValue> against;
                if (versionText != null) {
                    if (s.versions(subject, false).isEmpty()) {
                        throw RegistrySubjectsHandler.subjectNotFound(subject);
                    }
                    SchemaValue v = s.versionOrNull(subject, version, false);
                    if (v == null) {
                        throw RegistryError.VERSION_NOT_FOUND.exception("Version " + versionText + " not found.");
                    }
                    against = List.of(v);
                } else {
                    against = s.versions(subject, false);
                }
                ParsedSchema proposed = s.parse(req.type(), req.schema(), req.references());
                if (normalize) {
                    proposed = proposed.normalize();
                }
                List<ParsedSchema> previous = new ArrayList<>();
                for (SchemaValue v : against) {
                    previous.add(s.parsedById(v.id()));
                }
                CompatibilityLevel level = s.effectiveConfig(subject);
                List<String> messages = level.check(proposed, previous);
                JsonObject answer = new JsonObject().put("is_compatible", messages.isEmpty());
                if (verbose) {
                    answer.put("messages", new JsonArray(messages));
                }
                RegistryHttp.okJson(ctx, answer);
            } catch (RuntimeException e) {
                RegistryHttp.fail(ctx, e);
            }
        });
    }
}

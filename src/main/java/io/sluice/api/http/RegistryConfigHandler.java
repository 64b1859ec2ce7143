package io.sluice.api.http;

import io.sluice.bus.RegistryCommand;
import io.sluice.schema.CompatibilityLevel;
import io.sluice.schema.registry.Mode;
import io.sluice.schema.registry.RegistryError;
import io.sluice.schema.registry.RegistryState;
import io.sluice.schema.registry.SchemaRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/**
 * Confluent's {@code /config} (compatibility levels) and {@code /mode} (READWRITE, READONLY, IMPORT)
 * endpoints, global and per subject. A subject without its own setting answers 40408/40409 unless
 * asked {@code defaultToGlobal=true}. Changes go to the registry's leader; values are checked here
 * first, so a bad one is refused without a trip (42203, 42204).
 */
final class RegistryConfigHandler {
    private final SchemaRegistry registry;

    RegistryConfigHandler(SchemaRegistry registry) {
        this.registry = registry;
    }

    /** GET /config and GET /config/{s} */
    void getConfig(RoutingContext ctx) {
        String subject = ctx.pathParam("subject");
        boolean defaultToGlobal = RegistryHttp.flag(ctx, "defaultToGlobal");
        registry.fresh().onComplete(ar -> {
            RegistryState s = ar.result();
            CompatibilityLevel level = subject == null ? s.effectiveConfig(null) : s.config(subject);
            if (level == null && defaultToGlobal) {
                level = s.effectiveConfig(null);
            }
            if (level == null) {
                RegistryHttp.fail(ctx, RegistryError.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED.exception("Subject '" + subject
                        + "' does not have subject-level compatibility configured"));
                return;
            }
            RegistryHttp.okJson(ctx, new JsonObject().put("compatibilityLevel", level.name()));
        });
    }

    /** PUT /config and PUT /config/{s} {@code {"compatibility": "FULL"}} */
    void putConfig(RoutingContext ctx) {
        Object level = RegistryHttp.jsonBody(ctx).getValue("compatibility");
        if (!(level instanceof String name) || !valid(name)) {
            throw RegistryError.INVALID_COMPATIBILITY_LEVEL.exception("Invalid compatibility level. Valid values are none, backward, "
                    + "forward, full, backward_transitive, forward_transitive, and full_transitive");
        }
        RegistryHttp.answer(ctx, registry.write(new RegistryCommand.SetConfig(ctx.pathParam("subject"), name.trim().toUpperCase(Locale.ROOT))));
    }

    private static boolean valid(String name) {
        try {
            CompatibilityLevel.fromApi(name.trim());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** DELETE /config and DELETE /config/{s}: back to the default (global) or to the global level (subject). */
    void deleteConfig(RoutingContext ctx) {
        RegistryHttp.answer(ctx, registry.write(new RegistryCommand.SetConfig(ctx.pathParam("subject"), null)));
    }

    /** GET /mode and GET /mode/{s} */
    void getMode(RoutingContext ctx) {
        String subject = ctx.pathParam("subject");
        boolean defaultToGlobal = RegistryHttp.flag(ctx, "defaultToGlobal");
        registry.fresh().onComplete(ar -> {
            RegistryState s = ar.result();
            Mode mode = subject == null ? s.effectiveMode(null) : s.mode(subject);
            if (mode == null && defaultToGlobal) {
                mode = s.effectiveMode(null);
            }
            if (mode == null) {
                RegistryHttp.fail(ctx, RegistryError.SUBJECT_LEVEL_MODE_NOT_CONFIGURED.exception("Subject '" + subject
                        + "' does not have subject-level mode configured"));
                return;
            }
            RegistryHttp.okJson(ctx, new JsonObject().put("mode", mode.name()));
        });
    }

    /** PUT /mode and PUT /mode/{s} {@code {"mode": "IMPORT"}}, with {@code force} */
    void putMode(RoutingContext ctx) {
        Object mode = RegistryHttp.jsonBody(ctx).getValue("mode");
        if (!(mode instanceof String name)) {
            throw RegistryError.INVALID_MODE.exception("Invalid mode " + mode);
        }
        Mode m = Mode.fromApi(name);
        RegistryHttp.answer(ctx, registry.write(new RegistryCommand.SetMode(ctx.pathParam("subject"), m.name(),
                RegistryHttp.flag(ctx, "force"))));
    }

    /** DELETE /mode and DELETE /mode/{s} */
    void deleteMode(RoutingContext ctx) {
        RegistryHttp.answer(ctx, registry.write(new RegistryCommand.SetMode(ctx.pathParam("subject"), null, false)));
    }
}

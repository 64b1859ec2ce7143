package io.sluice.api.http;

import io.sluice.config.BrokerSettings;
import io.sluice.config.CorsOrigins;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * CORS for the HTTP API ({@code security.cors.*}), off unless origins are configured: vertx-web's
 * {@link CorsHandler}, ahead of every route, so that it answers preflights ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) and puts its headers on every answer, errors included. A
 * request from an origin not on the list is refused with 403.
 *
 * <p>The WebSocket endpoints are left out: browsers apply no CORS to an upgrade, and which
 * origins may open a socket is the WebSocket origin check's decision, not this one's.
 */
final class CorsPolicy {
    private CorsPolicy() {
    }

    /** Mounts the handler on {@code router} when CORS is on; returns whether it is. */
    static boolean mount(Router router, BrokerSettings settings) {
        List<String> origins = CorsOrigins.parse(settings.getString("security.cors.allowed.origins"));
        if (origins.isEmpty()) {
            return false;
        }
        Set<HttpMethod> methods = new LinkedHashSet<>();
        for (String m : settings.getList("security.cors.allowed.methods")) {
            methods.add(HttpMethod.valueOf(m));
        }
        CorsHandler cors = CorsHandler.create().addOrigins(origins).allowedMethods(methods)
                .allowedHeaders(names(settings.getString("security.cors.allowed.headers")))
                .exposedHeaders(names(settings.getString("security.cors.exposed.headers")))
                .maxAgeSeconds(settings.getInt("security.cors.max.age.seconds"))
                .allowCredentials(settings.getBoolean("security.cors.allow.credentials"));
        router.route().handler(ctx -> {
            if (ctx.request().path().startsWith("/ws/")) {
                ctx.next();
            } else {
                cors.handle(ctx);
            }
        });
        return true;
    }

    private static Set<String> names(String commaSeparated) {
        Set<String> names = new LinkedHashSet<>();
        if (commaSeparated != null) {
            for (String name : commaSeparated.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.trim());
                }
            }
        }
        return names;
    }
}

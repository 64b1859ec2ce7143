package io.sluice.api.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.api.Api;
import io.sluice.api.RequestSessions;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.security.OriginPolicy;
import io.sluice.security.WebSocketTickets;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The browser-facing protections of the WebSocket endpoints: the {@code Origin} check of every
 * upgrade, ahead of authentication ({@link OriginPolicy}: a foreign origin gets a 403 before its
 * credentials are looked at), and {@code POST /ws/tickets}, which gives the authenticated
 * principal a single-use ticket for an upgrade ({@link WebSocketTickets}). Tickets are never
 * logged; the answer is not to be cached.
 */
final class WebSocketGuards {
    static final String FOREIGN_ORIGIN = "origin not allowed";
    private static final Set<String> TICKET_FIELDS = Set.of("path");

    private final Api api;
    private final OriginPolicy origins;

    WebSocketGuards(Api api) {
        this.api = api;
        this.origins = api.security().origins();
    }

    boolean originsEnforced() {
        return origins.enforced();
    }

    /** Router handler ahead of authentication: refuses a WebSocket upgrade from a foreign Origin. */
    void checkOrigin(RoutingContext ctx) {
        String upgrade = ctx.request().getHeader(HttpHeaderNames.UPGRADE);
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")
                && !origins.allows(ctx.request().getHeader(HttpHeaderNames.ORIGIN), ctx.request().getHeader(HttpHeaderNames.HOST))) {
            ErrorResponder.send(ctx.response(), ErrorCode.FORBIDDEN, FOREIGN_ORIGIN);
            return;
        }
        ctx.next();
    }

    /** {@code POST /ws/tickets} with an optional {@code {"path":"/ws/consume"}}: 201 with the ticket. */
    void issueTicket(RoutingContext ctx) {
        String path = null;
        var body = ctx.body().buffer();
        if (body != null && !body.toString(StandardCharsets.UTF_8).isBlank()) {
            JsonObject json = Bodies.jsonObject(ctx);
            for (String field : json.fieldNames()) {
                if (!TICKET_FIELDS.contains(field)) {
                    throw new SluiceException(ErrorCode.BAD_REQUEST, "unknown field '" + field + "'; expected " + TICKET_FIELDS);
                }
            }
            Object p = json.getValue("path");
            if (p != null && (!(p instanceof String s) || !WebSocketTickets.UPGRADE_PATHS.contains(s))) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "'path' must be one of " + WebSocketTickets.UPGRADE_PATHS);
            }
            path = (String) p;
        }
        api.security().tickets().issue(RequestSessions.of(ctx).principal(), path)
                .onSuccess(issued -> ctx.response().setStatusCode(201).putHeader("content-type", "application/json")
                        .putHeader("cache-control", "no-store")
                        .end(new JsonObject().put("ticket", issued.ticket()).put("expires_in_ms", issued.expiresInMs()).toBuffer()))
                .onFailure(ctx::fail);
    }
}

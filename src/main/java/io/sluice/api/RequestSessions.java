package io.sluice.api;

import io.sluice.security.Session;
import io.vertx.ext.web.RoutingContext;

/**
 * Where a request's {@link Session} lives once the HTTP door authenticated it: in its routing
 * context, for the HTTP handlers and the WebSocket upgrades alike.
 */
public final class RequestSessions {
    private static final String KEY = "sluice.session";
    /** The session of every request while security is off (nothing reads its host then). */
    public static final Session ANONYMOUS = Session.anonymous("");

    private RequestSessions() {
    }

    public static void put(RoutingContext ctx, Session session) {
        ctx.put(KEY, session);
    }

    /** The request's session; {@link #ANONYMOUS} when none was established (security off). */
    public static Session of(RoutingContext ctx) {
        Session s = ctx.get(KEY);
        return s != null ? s : ANONYMOUS;
    }
}

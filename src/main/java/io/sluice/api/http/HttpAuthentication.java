package io.sluice.api.http;

import io.sluice.api.ApiErrors;
import io.sluice.api.RequestSessions;
import io.sluice.common.SluiceException;
import io.sluice.common.ErrorCode;
import io.sluice.security.Principal;
import io.sluice.security.Security;
import io.sluice.security.Session;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Consumer;

/**
 * The door of the HTTP server: establishes the {@link Session} of every request (WebSocket upgrades
 * included) through the node's authenticators before any route sees it, and answers 401 with
 * {@code WWW-Authenticate: Basic realm="sluice"} when it cannot. Only {@code /health}, {@code /ready}
 * and the console's static files answer without credentials. With security off every request is
 * {@link Principal#ANONYMOUS}, at no cost.
 *
 * <p>Authentication that cannot answer at once (a password not verified yet) pauses the request,
 * so that its body waits rather than flows past, and resumes it when it can go on.
 */
final class HttpAuthentication implements Handler<RoutingContext> {
    /** The session of every request while security is off (nothing reads its host then). */
    static final Session ANONYMOUS = RequestSessions.ANONYMOUS;

    private final Security security;

    HttpAuthentication(Security security) {
        this.security = security;
    }

    /** Router handler, ahead of every route: puts the session in the context, or answers 401. */
    @Override
    public void handle(RoutingContext ctx) {
        // (The normalized path, which routing matches: "/console/../topics" is not public.)
        authenticate(ctx.request(), ctx.normalizedPath(), session -> {
            RequestSessions.put(ctx, session);
            ctx.next();
        });
    }

    /** The session {@link #handle} established for the request. */
    static Session session(RoutingContext ctx) {
        return RequestSessions.of(ctx);
    }

    /**
     * Calls {@code next} with the session of the request for {@code path} (as routing sees it) (at once when authentication answers at once),
     * or answers the request with a 401 and never calls it.
     */
    void authenticate(HttpServerRequest request, String path, Consumer<Session> next) {
        if (!security.enabled() || isPublic(path)) {
            next.accept(ANONYMOUS);
            return;
        }
        long blocked = security.failures().blockedForMs(host(request));
        if (blocked > 0) {
            // (Before any hashing: the point is to spare the workers a flood of wrong passwords.)
            request.response().putHeader("retry-after", Long.toString((blocked + 999) / 1000));
            ErrorResponder.send(request, ErrorCode.THROTTLED, "too many failed authentications; retry later");
            return;
        }
        Future<Principal> principal = security.authenticators().authenticate(request);
        if (principal.isComplete()) {
            proceed(request, principal, next, security);
            return;
        }
        request.pause();
        principal.onComplete(ar -> {
            request.resume();
            if (ar.failed()) {
                // (Only failures that cost a derivation count: a wrong password sent again is answered from the cache.)
                security.failures().failed(host(request));
            }
            proceed(request, principal, next, security);
        });
    }

    private static void proceed(HttpServerRequest request, Future<Principal> principal, Consumer<Session> next,
                                Security security) {
        if (principal.failed()) {
            SluiceException e = ApiErrors.toSluice(principal.cause());
            security.audit().authenticationFailed(request.getHeader("authorization"), host(request), request.method().name(), request.path());
            ErrorResponder.send(request, e.code(), e.getMessage());
            return;
        }
        next.accept(new Session(principal.result(), host(request)));
    }

    private static String host(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        String host = remote == null ? null : remote.hostAddress();
        return host == null ? "" : host;
    }

    /** What answers without credentials: the probes, and the console's static files. */
    static boolean isPublic(String path) {
        return "/health".equals(path) || "/ready".equals(path) || (path != null && path.startsWith("/console/"));
    }
}

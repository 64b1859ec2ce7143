package io.sluice.security;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Authenticates a WebSocket upgrade by a {@code ?ticket=} from {@code POST /ws/tickets}
 * ({@link WebSocketTickets}): only a GET with {@code Upgrade: websocket} on one of the
 * {@link WebSocketTickets#UPGRADE_PATHS}. A ticket anywhere else is not a credential ("not mine",
 * so such a request without other credentials gets the plain 401), which keeps tickets out of
 * every other route's URLs. A ticket that does not redeem gets a 401 naming nothing of it.
 */
final class TicketAuthenticator implements Authenticator {
    static final String INVALID = "invalid or expired ticket";

    private final WebSocketTickets tickets;

    TicketAuthenticator(WebSocketTickets tickets) {
        this.tickets = tickets;
    }

    @Override
    public Future<Principal> authenticate(HttpServerRequest request) {
        String path = request.path();
        String upgrade = request.getHeader(HttpHeaderNames.UPGRADE);
        if (request.method() != HttpMethod.GET || !WebSocketTickets.UPGRADE_PATHS.contains(path) || upgrade == null
                || !upgrade.equalsIgnoreCase("websocket")) {
            return Future.succeededFuture();
        }
        String ticket;
        try {
            ticket = request.getParam("ticket");
        } catch (RuntimeException malformedQuery) {
            return Future.succeededFuture();
        }
        if (ticket == null) {
            return Future.succeededFuture();
        }
        return tickets.redeem(ticket, path).transform(ar -> ar.succeeded() && ar.result() != null
                ? Future.succeededFuture(ar.result())
                : Future.failedFuture(new SluiceException(ErrorCode.UNAUTHORIZED, INVALID)));
    }
}

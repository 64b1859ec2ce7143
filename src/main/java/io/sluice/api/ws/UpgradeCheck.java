package io.sluice.api.ws;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses, with the API's error shape, a request to a WebSocket endpoint that is not a WebSocket
 * handshake Vert.x can complete. Left to {@code toWebSocket()}, such a request is answered by
 * Vert.x itself, in plain text or with an empty body. Runs after the query is validated, so that
 * a plain GET still learns what is wrong with its query first.
 */
final class UpgradeCheck {
    private UpgradeCheck() {
    }

    /** Throws the error for a request that is no WebSocket handshake; returns for one that is. */
    static void require(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!request.canUpgradeToWebSocket()) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, request.path() + " is a WebSocket endpoint: send an upgrade "
                    + "request (HTTP/1.1 GET with 'Connection: Upgrade' and 'Upgrade: websocket')");
        }
        String key = request.getHeader("sec-websocket-key");
        if (key == null || key.isBlank()) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "the WebSocket upgrade has no Sec-WebSocket-Key");
        }
        if (!"13".equals(request.getHeader("sec-websocket-version"))) {
            // RFC 6455, 4.4: name the version this server speaks.
            ctx.response().putHeader("sec-websocket-version", "13");
            throw new SluiceException(ErrorCode.UPGRADE_REQUIRED, "unsupported Sec-WebSocket-Version; this node speaks 13");
        }
    }
}

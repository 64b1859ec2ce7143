package io.sluice.api.http;

import io.sluice.api.ApiErrors;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The one place errors become HTTP responses: {@code {"error_code": 40401, "message": "..."}} with
 * the code's HTTP status, for exceptions thrown by handlers, failed futures, and routing failures
 * (unknown path, wrong method, oversize body). Which code a failure gets is {@link ApiErrors}'s
 * to say, the same for HTTP and WebSocket.
 */
public final class ErrorResponder {
    private ErrorResponder() {
    }

    /** Router failure handler. */
    public static void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure == null) {
            int status = ctx.statusCode();
            send(ctx.response(), ApiErrors.byStatus(status), defaultMessage(status, ctx));
            return;
        }
        SluiceException e = ApiErrors.toSluice(failure);
        send(ctx.response(), e.code(), e.getMessage());
    }

    public static void send(HttpServerResponse response, ErrorCode code, String message) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            // A streamed answer already started: the only honest signal left is to cut it.
            response.reset();
            return;
        }
        JsonObject body = new JsonObject().put("error_code", code.code()).put("message", message);
        response.setStatusCode(code.httpStatus()).putHeader("content-type", "application/json");
        if (code == ErrorCode.UNAUTHORIZED) {
            // (RFC 7235: a 401 names the scheme it wants.)
            response.putHeader("www-authenticate", "Basic realm=\"sluice\"");
        }
        if (code == ErrorCode.NOT_ENOUGH_REPLICAS || code == ErrorCode.UNAVAILABLE || code == ErrorCode.NOT_LEADER) {
            response.putHeader("retry-after", "1");
        }
        response.end(body.toBuffer());
    }

    private static String defaultMessage(int status, RoutingContext ctx) {
        String where = ctx.request().method() + " " + ctx.request().path();
        return switch (status) {
            case 404 -> "no such resource: " + where;
            case 405 -> "method not allowed: " + where;
            case 413 -> "request body too large";
            default -> "request failed with HTTP " + status + ": " + where;
        };
    }
}

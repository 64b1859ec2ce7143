package io.sluice.api.http;

import io.sluice.api.json.ProduceParseException;
import io.sluice.common.ErrorCode;
import io.sluice.common.Failures;
import io.sluice.common.SluiceException;
import io.sluice.config.ConfigException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * The one place errors become responses: {@code {"error_code": 40401, "message": "..."}} with the
 * code's HTTP status, for exceptions thrown by handlers, failed futures, and routing failures
 * (unknown path, wrong method, oversize body). Nothing a client sends can make it answer 500
 * unless the node itself failed.
 */
public final class ErrorResponder {
    private static final System.Logger LOG = System.getLogger(ErrorResponder.class.getName());

    private ErrorResponder() {
    }

    /** Router failure handler. */
    public static void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure == null) {
            int status = ctx.statusCode();
            send(ctx.response(), byStatus(status), defaultMessage(status, ctx));
            return;
        }
        SluiceException e = toSluice(failure);
        send(ctx.response(), e.code(), e.getMessage());
    }

    /**
     * Maps any failure to a {@link SluiceException} ({@link Failures}, with what a request itself
     * can get wrong); unknown ones are internal errors (and logged).
     */
    public static SluiceException toSluice(Throwable failure) {
        return Failures.toSluice(failure, Failures.Peer.ANY, ErrorResponder::requestFailure);
    }

    /** A failure that is no error code yet: the request's own fault (4xx), or the node's (logged). */
    private static SluiceException requestFailure(Throwable failure) {
        if (failure instanceof ProduceParseException pe) {
            return new SluiceException(ErrorCode.INVALID_RECORD, pe.getMessage());
        } else if (failure instanceof ConfigException ce) {
            return new SluiceException(ErrorCode.INVALID_CONFIG, ce.getMessage());
        } else if (failure instanceof DecodeException de) {
            return new SluiceException(ErrorCode.BAD_REQUEST, "body is not valid JSON: " + de.getMessage());
        } else if (failure instanceof HttpException he) {
            return new SluiceException(byStatus(he.getStatusCode()),
                    he.getPayload() != null ? he.getPayload() : "HTTP " + he.getStatusCode());
        } else if (failure instanceof IllegalArgumentException || failure instanceof ClassCastException) {
            return new SluiceException(ErrorCode.BAD_REQUEST, String.valueOf(failure.getMessage()));
        }
        LOG.log(System.Logger.Level.ERROR, "request failed", failure);
        return new SluiceException(ErrorCode.INTERNAL, "internal error: " + failure);
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
        if (code == ErrorCode.NOT_ENOUGH_REPLICAS || code == ErrorCode.UNAVAILABLE || code == ErrorCode.NOT_LEADER) {
            response.putHeader("retry-after", "1");
        }
        response.end(body.toBuffer());
    }

    private static ErrorCode byStatus(int status) {
        return switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.BODY_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> status >= 400 && status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL;
        };
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

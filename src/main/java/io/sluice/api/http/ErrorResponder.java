package io.sluice.api.http;

import io.sluice.api.ApiErrors;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * The one place errors become HTTP responses: {@code {"error_code": 40401, "message": "..."}} with
 * the code's HTTP status, for exceptions thrown by handlers, failed futures, routing failures
 * (unknown path, wrong method, oversize body, a path that does not decode) and requests the HTTP
 * codec could not parse at all. Which code a failure gets is {@link ApiErrors}'s to say, the same
 * for HTTP and WebSocket.
 */
public final class ErrorResponder {
    /** The most of an unread request body read (and dropped) after an error to keep its connection. */
    static final long DRAIN_LIMIT = 32L << 20;

    private ErrorResponder() {
    }

    /**
     * Registers this class for every failure the router can end a request with: as the failure
     * handler of every route, and as the handler of every 4xx and 5xx status. The status handlers
     * matter where no route's failure handler can run, because matching itself failed (a path
     * with a stray {@code %} never matches a route); without them vertx-web answers in plain text.
     */
    public static void install(Router router) {
        router.route().failureHandler(ErrorResponder::handle);
        for (int status = 400; status < 600; status++) {
            int registered = status;
            // vertx-web calls a status handler without setting the context's status or failure when
            // matching itself threw (an IllegalArgumentException from decoding the path is a 400).
            router.errorHandler(status, ctx -> handle(ctx, ctx.statusCode() == -1 && ctx.failure() == null ? registered : ctx.statusCode()));
        }
    }

    /** Router failure handler. */
    public static void handle(RoutingContext ctx) {
        handle(ctx, ctx.statusCode());
    }

    private static void handle(RoutingContext ctx, int status) {
        Throwable failure = ctx.failure();
        if (RegistryHttp.owns(ctx.request().path())) {
            // The schema registry's paths answer as Confluent's registry does (its codes overlap ours).
            RegistryHttp.fail(ctx, failure, status);
            return;
        }
        if (failure == null || (status >= 400 && status < 500 && !(failure instanceof SluiceException))) {
            // A status without an error code: vertx-web's own (404, 405, 413, the 400 of a path that
            // does not decode, the CORS handler's 403). Its exception, if any, says what was wrong.
            send(ctx.request(), ApiErrors.byStatus(status), routingMessage(failure, status, ctx));
            return;
        }
        SluiceException e = ApiErrors.toSluice(failure);
        send(ctx.request(), e.code(), e.getMessage());
    }

    /**
     * The HTTP server's handler for a request its codec could not decode (a malformed request
     * line, a URI or headers over Netty's limits, an HTTP version it does not speak). As Vert.x's default handler does, the
     * connection is closed after the answer: what follows on it cannot be framed reliably. The
     * message is fixed, not the codec's, which may quote the offending header.
     */
    public static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        if (cause instanceof TooLongHttpLineException) {
            send(request.response(), ErrorCode.URI_TOO_LONG, "the request line is longer than this node reads");
        } else if (cause instanceof HttpVersionGuard.UnsupportedVersionException) {
            send(request.response(), ErrorCode.HTTP_VERSION_NOT_SUPPORTED, "unsupported HTTP version in the request line: use HTTP/1.1");
        } else if (cause instanceof TooLongHttpHeaderException) {
            send(request.response(), ErrorCode.HEADERS_TOO_LARGE, "the request headers are larger than this node reads");
        } else {
            send(request.response(), ErrorCode.BAD_REQUEST, "malformed HTTP request: the request line or a header does not parse");
        }
        request.connection().close();
    }

    /**
     * Answers {@code request} with the error. A body the request still has unread (an error found
     * from the headers alone: wrong content type, announced size over the limit) is read and
     * dropped, so that the connection serves the client's next request, rather than stalling it
     * behind a body nobody reads; a body over {@value #DRAIN_LIMIT} bytes is not worth reading:
     * the connection is closed instead.
     */
    public static void send(HttpServerRequest request, ErrorCode code, String message) {
        if (RegistryHttp.owns(request.path())) {
            RegistryHttp.send(request, new SluiceException(code, message));
        } else {
            send(request.response(), code, message);
        }
        drain(request);
    }

    /**
     * Reads and drops what is left of an answered request's body (or closes its connection when that
     * is over {@value #DRAIN_LIMIT} bytes), so that the connection serves the client's next request.
     */
    static void drain(HttpServerRequest request) {
        if (request.isEnded()) {
            return;
        }
        String announced = request.getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (announced != null && !fitsTheDrainLimit(announced)) {
            request.connection().close();
            return;
        }
        long[] drained = {0};
        request.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > DRAIN_LIMIT) {
                request.connection().close();
            }
        });
        request.exceptionHandler(e -> {
        });
        request.resume();
    }

    private static boolean fitsTheDrainLimit(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) <= DRAIN_LIMIT;
        } catch (NumberFormatException e) {
            return false;
        }
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

    private static String routingMessage(Throwable failure, int status, RoutingContext ctx) {
        if (failure instanceof HttpException he) {
            return he.getPayload() != null ? he.getPayload() : defaultMessage(status, ctx);
        }
        return failure != null && failure.getMessage() != null ? failure.getMessage() : defaultMessage(status, ctx);
    }

    private static String defaultMessage(int status, RoutingContext ctx) {
        String where = ctx.request().method() + " " + ctx.request().path();
        return switch (status) {
            case 404 -> "no such resource: " + where;
            case 405 -> "method not allowed: " + where;
            case 413 -> "request body too large";
            case 400 -> "the request URI does not decode (a '%' must start a two-hex-digit escape): " + where;
            default -> "request failed with HTTP " + status + ": " + where;
        };
    }
}

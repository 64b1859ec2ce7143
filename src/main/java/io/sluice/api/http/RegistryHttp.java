package io.sluice.api.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.api.ApiErrors;
import io.sluice.common.SluiceException;
import io.sluice.schema.registry.RegistryError;
import io.sluice.schema.registry.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;

import java.util.List;
import java.util.Locale;

/**
 * What every schema registry route shares, as Confluent's registry does it: content negotiation
 * (the {@code Accept} types it can answer, 406 otherwise; the body types it reads, 415 otherwise,
 * checked before a byte of the body is read), answers as {@value #V1} (or {@code application/json}
 * when that is all the client takes), and errors in Confluent's shape with Confluent's codes:
 * {@link RegistryException}s as they are, and Sluice's own errors on these paths (authentication,
 * authorization, a body that is not JSON) under the HTTP status as Confluent's Jersey answers them.
 */
final class RegistryHttp {
    static final String V1 = "application/vnd.schemaregistry.v1+json";
    static final String DEFAULT = "application/vnd.schemaregistry+json";
    static final String JSON = "application/json";
    /** The answer's content type a route chose ({@link #negotiate}). */
    private static final String ANSWER_TYPE = "registry.answer.type";
    private static final List<String> PREFIXES = List.of("/subjects", "/schemas", "/config", "/mode", "/compatibility");
    /** Confluent takes its own types, JSON, and a generic octet stream (what some clients send). */
    private static final List<String> BODIES = List.of(V1, DEFAULT, JSON, "application/octet-stream");

    private RegistryHttp() {
    }

    /** Refuses (406) a request whose {@code Accept} names no type the registry answers in; picks the answer's type. */
    static void negotiate(RoutingContext ctx) {
        String accept = ctx.request().getHeader(HttpHeaderNames.ACCEPT);
        String type = answerType(accept);
        if (type == null) {
            fail(ctx, RegistryError.NOT_ACCEPTABLE.exception("HTTP 406 Not Acceptable"));
            return;
        }
        ctx.put(ANSWER_TYPE, type);
        ctx.next();
    }

    /** The content type to answer a request with {@code accept}, or null when none of the registry's is acceptable. */
    static String answerType(String accept) {
        if (accept == null || accept.isBlank()) {
            return V1;
        }
        boolean json = false;
        boolean any = false;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String media = parts[0].trim().toLowerCase(Locale.ROOT);
            if (zeroQuality(parts)) {
                continue;
            }
            if (media.equals("*/*") || media.equals("application/*") || media.equals(V1) || media.equals(DEFAULT)) {
                any = true;
            } else if (media.equals(JSON)) {
                json = true;
            }
        }
        return any ? V1 : json ? JSON : null;
    }

    private static boolean zeroQuality(String[] params) {
        for (int i = 1; i < params.length; i++) {
            String p = params[i].trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2).trim()) <= 0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** The body handler of the registry's POST and PUT routes: 415 for a type it does not read, then the body under a limit. */
    static Handler<RoutingContext> body(int maxBytes) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBytes).setMergeFormAttributes(false);
        return ctx -> {
            String contentType = ctx.request().getHeader(HttpHeaderNames.CONTENT_TYPE);
            if (contentType != null && !contentType.isBlank()) {
                String media = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
                if (!BODIES.contains(media)) {
                    fail(ctx, RegistryError.UNSUPPORTED_MEDIA_TYPE.exception("HTTP 415 Unsupported Media Type"));
                    return;
                }
            }
            body.handle(ctx);
        };
    }

    /** The request's body as a JSON object. */
    static JsonObject jsonBody(RoutingContext ctx) {
        String text = ctx.body() == null ? null : ctx.body().asString();
        if (text == null || text.isBlank()) {
            throw RegistryError.BAD_REQUEST.exception("the request needs a JSON object body");
        }
        Object parsed;
        try {
            parsed = Json.decodeValue(text);
        } catch (RuntimeException e) {
            throw RegistryError.BAD_REQUEST.exception("the body is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof JsonObject o)) {
            throw RegistryError.BAD_REQUEST.exception("the body must be a JSON object");
        }
        return o;
    }

    static boolean flag(RoutingContext ctx, String name) {
        String v = ctx.request().getParam(name);
        return v != null && v.trim().equalsIgnoreCase("true");
    }

    /**
     * A version as the API names it: a positive number, {@code latest}, or {@code -1} (latest), as -1 for latest.
     *
     * @throws RegistryException 42202 for anything else
     */
    static int version(String text) {
        if (text.equalsIgnoreCase("latest")) {
            return -1;
        }
        try {
            int v = Integer.parseInt(text);
            if (v == -1 || v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw RegistryError.INVALID_VERSION.exception("The specified version '" + text + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    /** Answers 200 with {@code json} (JSON text) in the negotiated type. */
    static void ok(RoutingContext ctx, String json) {
        HttpServerResponse r = ctx.response();
        if (!r.ended()) {
            r.setStatusCode(200).putHeader(HttpHeaderNames.CONTENT_TYPE, type(ctx)).end(json);
        }
    }

    /** Answers 200 with {@code value} encoded as JSON. */
    static void okJson(RoutingContext ctx, Object value) {
        ok(ctx, Json.encode(value));
    }

    /** Answers the future's JSON, or its failure. */
    static void answer(RoutingContext ctx, Future<String> json) {
        json.onComplete(ar -> {
            if (ar.succeeded()) {
                ok(ctx, ar.result());
            } else {
                fail(ctx, ar.cause());
            }
        });
    }

    private static String type(RoutingContext ctx) {
        String t = ctx.get(ANSWER_TYPE);
        return t == null ? V1 : t;
    }

    /** Answers a failure in Confluent's error shape. */
    static void fail(RoutingContext ctx, Throwable failure) {
        fail(ctx, failure, ctx.statusCode());
    }

    /** Answers a failure, or a routing status without one ({@code status}), in Confluent's error shape. */
    static void fail(RoutingContext ctx, Throwable failure, int status) {
        RegistryException e = asRegistry(failure, status);
        HttpServerResponse r = ctx.response();
        if (r.ended() || r.closed()) {
            return;
        }
        if (r.headWritten()) {
            r.reset();
            return;
        }
        write(r, e, type(ctx));
        // (A body refused unread, for its type or size: read and dropped as every error's is.)
        ErrorResponder.drain(ctx.request());
    }

    /** Answers a Sluice error met before routing (authentication) on a registry path, in Confluent's shape. */
    static void send(io.vertx.core.http.HttpServerRequest request, SluiceException failure) {
        HttpServerResponse r = request.response();
        if (r.ended() || r.closed() || r.headWritten()) {
            return;
        }
        String type = answerType(request.getHeader(HttpHeaderNames.ACCEPT));
        write(r, asRegistry(failure, failure.code().httpStatus()), type == null ? V1 : type);
    }

    private static void write(HttpServerResponse r, RegistryException e, String contentType) {
        r.setStatusCode(e.error().httpStatus()).putHeader(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (e.error() == RegistryError.UNAUTHORIZED) {
            r.putHeader("www-authenticate", "Basic realm=\"sluice\"");
        }
        if (e.error() == RegistryError.TOO_MANY_REQUESTS && !r.headers().contains("retry-after")) {
            r.putHeader("retry-after", "1");
        }
        r.end(new JsonObject().put("error_code", e.error().code()).put("message", e.getMessage()).toBuffer());
    }

    /** Whether {@code path} is one of the registry's ({@code /subjects}, {@code /schemas}, ...), whose errors are Confluent's. */
    static boolean owns(String path) {
        if (path == null) {
            return false;
        }
        for (String prefix : PREFIXES) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    static RegistryException asRegistry(Throwable failure, int status) {
        if (failure instanceof RegistryException re) {
            return re;
        }
        if (failure == null || failure instanceof HttpException) {
            int s = failure instanceof HttpException he ? he.getStatusCode() : status;
            return byStatus(s, failure);
        }
        SluiceException e = ApiErrors.toSluice(failure);
        return switch (e.code()) {
            case UNAUTHORIZED -> RegistryError.UNAUTHORIZED.exception(e.getMessage());
            case FORBIDDEN -> RegistryError.FORBIDDEN.exception(e.getMessage());
            case BAD_REQUEST, INVALID_CONFIG, INVALID_RECORD -> RegistryError.BAD_REQUEST.exception(e.getMessage());
            case UNSUPPORTED_MEDIA_TYPE -> RegistryError.UNSUPPORTED_MEDIA_TYPE.exception(e.getMessage());
            case THROTTLED -> RegistryError.TOO_MANY_REQUESTS.exception(e.getMessage());
            case BODY_TOO_LARGE, RECORD_TOO_LARGE -> RegistryError.PAYLOAD_TOO_LARGE.exception(e.getMessage());
            default -> e.code().httpStatus() < 500 ? RegistryError.BAD_REQUEST.exception(e.getMessage())
                    : RegistryError.STORE_ERROR.exception(e.getMessage());
        };
    }

    private static RegistryException byStatus(int status, Throwable failure) {
        String message = failure != null && failure.getMessage() != null ? failure.getMessage() : "HTTP " + status;
        return switch (status) {
            case 404 -> RegistryError.NOT_FOUND.exception("HTTP 404 Not Found");
            case 405 -> RegistryError.METHOD_NOT_ALLOWED.exception("HTTP 405 Method Not Allowed");
            case 415 -> RegistryError.UNSUPPORTED_MEDIA_TYPE.exception("HTTP 415 Unsupported Media Type");
            case 413 -> RegistryError.PAYLOAD_TOO_LARGE.exception("HTTP 413 Request Entity Too Large");
            default -> status >= 500 || status < 400 ? RegistryError.STORE_ERROR.exception(message)
                    : RegistryError.BAD_REQUEST.exception(message);
        };
    }
}

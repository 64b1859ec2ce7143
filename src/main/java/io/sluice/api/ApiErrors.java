package io.sluice.api;

import io.sluice.api.json.ProduceParseException;
import io.sluice.common.ErrorCode;
import io.sluice.common.Failures;
import io.sluice.common.SluiceException;
import io.sluice.config.ConfigException;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.handler.HttpException;

/**
 * The error every interface (HTTP responses, WebSocket error frames) gives for a failure:
 * {@link Failures}' translation, plus what only a request can get wrong (a record that does not
 * parse, a bad config value, a body that is not JSON, a routing failure). Nothing a client sends
 * becomes a 500; what nobody recognises is the node's fault, an internal error, and is logged.
 */
public final class ApiErrors {
    private static final System.Logger LOG = System.getLogger(ApiErrors.class.getName());

    private ApiErrors() {
    }

    /** {@code failure} as the error a client sees. */
    public static SluiceException toSluice(Throwable failure) {
        return Failures.toSluice(failure, Failures.Peer.ANY, ApiErrors::requestFailure);
    }

    /** The code of a routing failure that has only an HTTP status (Vert.x Web's own 404, 405, 413...). */
    public static ErrorCode byStatus(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 408 -> ErrorCode.REQUEST_TIMED_OUT;
            case 413 -> ErrorCode.BODY_TOO_LARGE;
            case 414 -> ErrorCode.URI_TOO_LONG;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 426 -> ErrorCode.UPGRADE_REQUIRED;
            case 429 -> ErrorCode.THROTTLED;
            case 431 -> ErrorCode.HEADERS_TOO_LARGE;
            case 503 -> ErrorCode.UNAVAILABLE;
            case 505 -> ErrorCode.HTTP_VERSION_NOT_SUPPORTED;
            default -> status >= 400 && status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL;
        };
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
}

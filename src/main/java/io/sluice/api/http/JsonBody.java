package io.sluice.api.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Locale;

/**
 * The body handler of the endpoints that take a JSON object (the admin endpoints): refuses a body
 * of any other content type with 415 before a byte of it is read, then reads it under a size limit
 * with vertx-web's {@link BodyHandler}.
 *
 * <p>Why the check comes first: given a form or multipart content type, {@code BodyHandler} hands
 * the body to Vert.x's form decoder, which buffers fields and uploads of its own and fails with an
 * exception the API would answer with 500; here such a body is never decoded at all. A request
 * without a content type is read as JSON, as it always was.
 */
final class JsonBody implements Handler<RoutingContext> {
    private final BodyHandler body;

    private JsonBody(int maxBytes) {
        // No uploads and no form attributes: belt and braces, the check below keeps forms out.
        this.body = BodyHandler.create(false).setBodyLimit(maxBytes).setMergeFormAttributes(false);
    }

    static JsonBody create(int maxBytes) {
        return new JsonBody(maxBytes);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String contentType = ctx.request().getHeader(HttpHeaderNames.CONTENT_TYPE);
        if (!isJson(contentType)) {
            ctx.fail(new SluiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported content type '" + contentType
                    + "'; this endpoint takes a JSON object as application/json (with curl: -H 'content-type: application/json')"));
            return;
        }
        body.handle(ctx);
    }

    /** Absent, {@code application/json} or a JSON-based {@code application/*+json} type, parameters aside. */
    static boolean isJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}

package io.sluice.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;

/**
 * Reads request bodies under a size limit: an announced {@code Content-Length} over the limit is
 * refused before a byte is read, and a body that grows past it while streaming is cut off there,
 * so that no client can make the node buffer without bound. Also turns an admin request's body into
 * a JSON object, with the same 400s for every endpoint.
 */
final class Bodies {
    private Bodies() {
    }

    static Future<Buffer> read(HttpServerRequest request, int maxBytes) {
        String announced = request.getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (announced != null) {
            long length;
            try {
                length = Long.parseLong(announced);
            } catch (NumberFormatException e) {
                return Future.failedFuture(new SluiceException(ErrorCode.BAD_REQUEST, "bad Content-Length"));
            }
            if (length > maxBytes) {
                return Future.failedFuture(tooLarge(maxBytes));
            }
            // The connection reads exactly the announced length, which is within the limit, so
            // Vert.x's own aggregation will do (cheaper than three handlers of ours per request).
            Future<Buffer> body = request.body();
            request.resume();
            return body;
        }
        // Chunked: the size is known only as the body streams in.
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer(4096);
        boolean[] over = {false};
        request.handler(chunk -> {
            if (over[0]) {
                return;
            }
            if (body.length() + chunk.length() > maxBytes) {
                over[0] = true;
                promise.tryFail(tooLarge(maxBytes));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> promise.tryComplete(body));
        request.exceptionHandler(promise::tryFail);
        request.resume();
        return promise.future();
    }

    /** An admin request's body (already read by the body handler) as a JSON object, or a 400. */
    static JsonObject jsonObject(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        String text = body == null ? "" : body.toString(StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "a JSON object body is required");
        }
        if (!text.startsWith("{")) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "body must be a JSON object");
        }
        try {
            return new JsonObject(text);
        } catch (RuntimeException e) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "body is not valid JSON: " + e.getMessage());
        }
    }

    static SluiceException tooLarge(int maxBytes) {
        return new SluiceException(ErrorCode.BODY_TOO_LARGE, "request body is larger than " + maxBytes
                + " bytes (sluice.http.max.body.bytes)");
    }

    /** The bytes of a buffer as an array slice, without copying when the buffer is heap-backed. */
    record Slice(byte[] array, int offset, int length) {
        static Slice of(Buffer buffer) {
            ByteBuf buf = ((BufferInternal) buffer).getByteBuf();
            if (buf.hasArray()) {
                return new Slice(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
            }
            byte[] copy = buffer.getBytes();
            return new Slice(copy, 0, copy.length);
        }
    }
}

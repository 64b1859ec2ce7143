package io.sluice.api.http;

import io.netty.buffer.ByteBuf;
import io.sluice.bus.ErrorCode;
import io.sluice.bus.SluiceException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Reads request bodies under a size limit: an announced {@code Content-Length} over the limit is
 * refused before a byte is read, and a body that grows past it while streaming is cut off there,
 * so that no client can make the node buffer without bound.
 */
final class Bodies {
    private Bodies() {
    }

    static Future<Buffer> read(HttpServerRequest request, int maxBytes) {
        String announced = request.getHeader("content-length");
        long length = -1;
        if (announced != null) {
            try {
                length = Long.parseLong(announced);
            } catch (NumberFormatException e) {
                return Future.failedFuture(new SluiceException(ErrorCode.BAD_REQUEST, "bad Content-Length"));
            }
            if (length > maxBytes) {
                return Future.failedFuture(tooLarge(maxBytes));
            }
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer(length > 0 ? (int) length : 4096);
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

package io.sluice.api.ws;

import io.netty.buffer.ByteBuf;
import io.sluice.common.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.json.JsonObject;

/** Writing frames on Sluice's sockets: JSON text frames straight from a Netty buffer, and errors. */
final class Frames {
    private Frames() {
    }

    /**
     * Sends {@code json} as one final text frame without turning it into a String first (the
     * public API only takes Strings for text frames; the bytes are already UTF-8 JSON).
     */
    static Future<Void> text(ServerWebSocket ws, ByteBuf json) {
        return ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, json, true));
    }

    /**
     * Enforces {@code sluice.ws.max.frame.bytes} on a received message: past it the socket is
     * closed with 1009 (message too big) and a reason. The servers accept larger frames at the
     * protocol level on purpose: a frame refused there is cut mid-read, and the client sees a
     * reset instead of this close.
     *
     * @return whether the message was too large (the socket is then closing)
     */
    static boolean refuseIfTooLarge(ServerWebSocket ws, int bytes, int limit) {
        if (bytes <= limit) {
            return false;
        }
        ws.close((short) 1009, "frame of " + bytes + " bytes is larger than sluice.ws.max.frame.bytes (" + limit + ")");
        return true;
    }

    static Future<Void> error(ServerWebSocket ws, ErrorCode code, String message) {
        if (ws.isClosed()) {
            return Future.succeededFuture();
        }
        return ws.writeTextMessage(new JsonObject().put("type", "error").put("error_code", code.code())
                .put("message", message).encode());
    }
}

package io.sluice.tools.bench;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * Raw WebSocket messages for the workloads: receives whole messages as {@link Buffer}s (no
 * String decoding; the rare fragmented message is joined first) and sends prebuilt UTF-8 JSON
 * bytes as text frames without making a String of them.
 */
final class Messages {
    private Messages() {
    }

    /** Calls {@code handler} with every whole text or binary message of {@code ws}. */
    static void onMessage(WebSocket ws, Handler<Buffer> handler) {
        Buffer[] partial = {null};
        ws.frameHandler(frame -> {
            if (frame.type() == WebSocketFrameType.PING || frame.type() == WebSocketFrameType.PONG
                    || frame.type() == WebSocketFrameType.CLOSE) {
                return;
            }
            if (frame.isFinal() && partial[0] == null) {
                handler.handle(frame.binaryData());
                return;
            }
            partial[0] = partial[0] == null ? frame.binaryData().copy() : partial[0].appendBuffer(frame.binaryData());
            if (frame.isFinal()) {
                Buffer whole = partial[0];
                partial[0] = null;
                handler.handle(whole);
            }
        });
    }

    /** Sends {@code head} followed by {@code tail} as one text frame (both UTF-8 JSON). */
    static void sendText(WebSocket ws, byte[] head, byte[] tail) {
        WebSocketFrame frame = new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(head, tail), true);
        ws.writeFrame(frame);
    }

    static boolean startsWith(Buffer b, byte[] prefix) {
        return startsAt(b, 0, prefix);
    }

    static boolean startsAt(Buffer b, int pos, byte[] what) {
        if (b.length() < pos + what.length) {
            return false;
        }
        for (int i = 0; i < what.length; i++) {
            if (b.getByte(pos + i) != what[i]) {
                return false;
            }
        }
        return true;
    }

    /** The decimal number starting at {@code pos} (optionally negative), or -1 if there is none. */
    static long numberAt(Buffer b, int pos) {
        long n = 0;
        int i = pos;
        for (; i < b.length(); i++) {
            byte c = b.getByte(i);
            if (c < '0' || c > '9') {
                break;
            }
            n = n * 10 + (c - '0');
        }
        return i == pos ? -1 : n;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String head(Buffer b, int max) {
        return b.getString(0, Math.min(b.length(), max));
    }
}

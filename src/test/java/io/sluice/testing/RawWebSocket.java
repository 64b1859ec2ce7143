package io.sluice.testing;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A minimal RFC 6455 client on a plain socket, for the one thing library clients cannot do:
 * freeze. {@link #freeze()} stops its reader thread, so that it neither reads frames nor answers
 * pings, exactly like a process stopped with SIGSTOP while its TCP connection stays open.
 */
public final class RawWebSocket implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean frozen;

    public RawWebSocket(int port, String uri) throws IOException {
        socket = new Socket("127.0.0.1", port);
        out = socket.getOutputStream();
        InputStream raw = socket.getInputStream();
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readHeaders(raw);
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + status);
        }
        in = new DataInputStream(raw);
        reader = new Thread(this::readLoop, "raw-ws-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private static String readHeaders(InputStream raw) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = raw.read();
            if (b < 0) {
                throw new IOException("connection closed during the handshake");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII).split("\r\n")[0];
    }

    private void readLoop() {
        try {
            while (!frozen) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = in.readUnsignedShort();
                } else if (len == 127) {
                    len = in.readLong();
                }
                byte[] payload = new byte[(int) len];
                in.readFully(payload);
                int opcode = b0 & 0x0f;
                if (opcode == 0x9) {
                    if (!frozen) {
                        send(0xA, payload);
                    }
                } else if (opcode == 0x1) {
                    frames.add(new JsonObject(new String(payload, StandardCharsets.UTF_8)));
                } else if (opcode == 0x8) {
                    return;
                }
            }
            // Frozen: the thread parks here, reading nothing, like a stopped process.
            while (frozen) {
                Thread.sleep(60_000);
            }
        } catch (IOException | InterruptedException e) {
            // socket closed
        }
    }

    /** Sends a masked frame, as clients must. */
    public synchronized void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    public void sendText(String text) throws IOException {
        send(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next text frame of {@code type}, skipping others, within {@code timeoutMs}. */
    public JsonObject next(String type, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            JsonObject f = frames.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            if (f == null) {
                throw new AssertionError("no " + type + " frame within " + timeoutMs + " ms");
            }
            if (type.equals(f.getString("type"))) {
                return f;
            }
        }
    }

    /** Stops reading and answering, keeping the connection open. */
    public void freeze() {
        frozen = true;
    }

    @Override
    public void close() throws IOException {
        frozen = false;
        reader.interrupt();
        socket.close();
    }
}

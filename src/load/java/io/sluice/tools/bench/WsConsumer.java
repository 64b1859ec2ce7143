package io.sluice.tools.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * A counting consumer on {@code /ws/consume}: reads one topic until {@code target} records have
 * arrived, replenishing credit as they come so that the server never waits for it. The
 * {@code assigned} frame and (unless told not to) the first {@code records} frame are parsed whole
 * and checked (shape, topic, offsets, value size); every later frame is only scanned by
 * {@link OffsetScanner}, which counts its records and checks that each partition's offsets
 * continue exactly where they stopped. Runs on one event loop. Counts into a {@link Meter} it is
 * given, which several consumers may share (consume-fanout), and keeps its own count too.
 */
final class WsConsumer {
    private static final byte[] RECORDS = Messages.ascii("{\"type\":\"records\",\"records\":[");
    private static final byte[] ASSIGNED = Messages.ascii("{\"type\":\"assigned\"");

    final Meter meter;
    private final Bench bench;
    private final Consuming consuming;
    private final int recordSize;
    private final long target;
    private final boolean checkFirstFrame;
    private final byte[] recordStart;
    private final OffsetScanner scanner = new OffsetScanner();
    private final Map<Integer, long[]> nextOffset = new HashMap<>();
    private final Promise<Void> assigned = Promise.promise();
    private final Promise<Void> done = Promise.promise();
    private WebSocket ws;
    private Context loop;
    /** Records this consumer received; written on its loop only, read by the fan-out's window. */
    private volatile long received;
    private long owed;
    private boolean checkedFirst;
    private long wireBytes;
    private long connectNanos;
    private long firstFrameNanos;
    private int firstFrameRecords;

    /**
     * A consumer of {@code --topic} that expects values of {@code recordSize} bytes, stops after
     * {@code target} records and counts them (and its errors) into {@code meter}. Only with
     * {@code checkFirstFrame} is the first frame parsed whole: a parse costs milliseconds, and a
     * fan-out of a thousand consumers of one topic checks it in one of them.
     */
    WsConsumer(Bench bench, Consuming consuming, int recordSize, long target, Meter meter, boolean checkFirstFrame) {
        this.meter = meter;
        this.bench = bench;
        this.consuming = consuming;
        this.recordSize = recordSize;
        this.target = target;
        this.checkFirstFrame = checkFirstFrame;
        this.recordStart = Messages.ascii("{\"topic\":" + Json.encode(bench.target.topic) + ",\"partition\":");
    }

    /** Connects on loop {@code loop} reading from {@code from}; completes once partitions are assigned. */
    Future<Void> start(int loop, String from) {
        return start(loop, from, consuming.credit);
    }

    /**
     * The same with no credit: the node sends nothing until {@link #release()}, so that many
     * consumers opened one after another can all start reading at once.
     */
    Future<Void> startHeld(int loop, String from) {
        return start(loop, from, 0);
    }

    /** Grants a held consumer its credit: records start to arrive. */
    void release() {
        loop.runOnContext(v -> {
            if (ws != null) {
                ws.writeTextMessage("{\"type\":\"credit\",\"records\":" + consuming.credit + "}");
            }
        });
    }

    private Future<Void> start(int loop, String from, long credit) {
        connectNanos = System.nanoTime();
        this.loop = bench.loop(loop);
        String uri = "/ws/consume?topics=" + bench.target.topic + "&from=" + from + "&credit=" + credit
                + "&max_frame_bytes=" + consuming.maxFrameBytes;
        bench.connect(loop, uri, socket -> {
            ws = socket;
            Messages.onMessage(ws, this::onMessage);
            ws.closeHandler(v -> {
                if (!done.future().isComplete()) {
                    meter.error("socket closed after " + received + " records");
                    done.tryComplete();
                }
            });
        }).onFailure(assigned::tryFail);
        return assigned.future();
    }

    /** Stops reading now (closes the socket); {@link #done()} completes. */
    Future<Void> stop() {
        Promise<Void> stopped = Promise.promise();
        loop.runOnContext(v -> {
            if (done.tryComplete() && ws != null) {
                ws.close();
            }
            stopped.complete();
        });
        return stopped.future();
    }

    /** Completes once {@code target} records have arrived (or the socket failed). */
    Future<Void> done() {
        return done.future();
    }

    private void onMessage(Buffer frame) {
        if (done.future().isComplete()) {
            return;
        }
        long now = System.nanoTime();
        wireBytes += frame.length();
        if (Messages.startsWith(frame, RECORDS)) {
            onRecords(frame, now);
        } else if (Messages.startsWith(frame, ASSIGNED)) {
            onAssigned(new JsonObject(frame));
        } else {
            meter.error(Messages.head(frame, 300));
        }
    }

    private void onAssigned(JsonObject frame) {
        for (Object o : frame.getJsonArray("partitions")) {
            JsonObject p = (JsonObject) o;
            nextOffset.put(p.getInteger("partition"), new long[] {p.getLong("offset")});
        }
        assigned.tryComplete();
    }

    private void onRecords(Buffer frame, long now) {
        if (!Messages.startsAt(frame, RECORDS.length, recordStart)) {
            meter.error("records frame of another topic: " + Messages.head(frame, 200));
            return;
        }
        int partition = (int) Messages.numberAt(frame, RECORDS.length + recordStart.length);
        long[] next = nextOffset.get(partition);
        if (next == null) {
            meter.error("records of unassigned partition " + partition);
            return;
        }
        scanner.begin(next[0]);
        scanner.scan(((BufferInternal) frame).getByteBuf());
        if (scanner.firstBad() >= 0) {
            meter.error("partition " + partition + ": expected offset " + next[0] + "..., got " + scanner.firstBad());
        }
        next[0] = scanner.next();
        int n = scanner.count();
        if (!checkedFirst) {
            checkedFirst = true;
            firstFrameNanos = now;
            firstFrameRecords = n;
            if (checkFirstFrame) {
                checkFirst(new JsonObject(frame), n);
            }
        }
        meter.add(n);
        received += n;
        owed += n;
        if (received >= target) {
            done.tryComplete();
            ws.close();
        } else if (owed >= consuming.credit / 2) {
            ws.writeTextMessage("{\"type\":\"credit\",\"records\":" + owed + "}");
            owed = 0;
        }
    }

    /** The full check of the first frame: the scanner's count, record shape and value size. */
    private void checkFirst(JsonObject frame, int scanned) {
        JsonArray records = frame.getJsonArray("records");
        if (records.size() != scanned) {
            meter.error("first frame: scanner counted " + scanned + " records, the JSON holds " + records.size());
        }
        for (Object o : records) {
            JsonObject r = (JsonObject) o;
            Object value = r.getValue("value");
            if (!bench.target.topic.equals(r.getString("topic")) || r.getLong("offset") == null
                    || !(value instanceof String s) || s.length() + 2 != recordSize) {
                meter.error("first frame: unexpected record " + r.encode());
                return;
            }
        }
    }

    long received() {
        return received;
    }

    long connectNanos() {
        return connectNanos;
    }

    long firstFrameNanos() {
        return firstFrameNanos;
    }

    int firstFrameRecords() {
        return firstFrameRecords;
    }

    long wireBytes() {
        return wireBytes;
    }
}

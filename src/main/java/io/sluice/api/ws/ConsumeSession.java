package io.sluice.api.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.api.Api;
import io.sluice.api.RequestSessions;
import io.sluice.security.AccessControl;
import io.sluice.security.AclOperation;
import io.sluice.security.ResourceType;
import io.sluice.security.Session;
import io.sluice.api.ApiErrors;
import io.sluice.api.json.RecordFormat;
import io.sluice.api.json.RecordJsonWriter;
import io.sluice.common.Clock;
import io.sluice.common.Confinement;
import io.sluice.common.ErrorCode;
import io.sluice.bus.FetchRequest;
import io.sluice.bus.FetchResponse;
import io.sluice.bus.OffsetsRequest;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.sluice.group.GroupMember;
import io.sluice.log.LogReadResult;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordCursor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.sluice.schema.RecordSchemas;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One consumer WebSocket: reads its partitions with long-poll fetches (one in flight per
 * partition) and pushes their records as {@code records} frames the moment fetches return.
 *
 * <p>Flow control is the client's credit: the session never sends more records than granted
 * ({@code credit} frames add to it), never has more than {@value #BUFFER_BUDGET} bytes fetched
 * and not yet sent, and stops fetching while the socket's write queue is full. So a slow client
 * costs the node at most that budget, never an unbounded queue.
 *
 * <p>Partitions come from an {@link Assignment}: fixed for a socket without a group, handed out
 * and taken back by the group coordinator otherwise. Everything runs on the socket's event loop,
 * where the session is created: its state is confined to it, and every way in checks that
 * ({@link Confinement}): the socket's handlers, the methods its {@link Assignment} calls, and the
 * answers to its fetches.
 */
public final class ConsumeSession {
    static final int BUFFER_BUDGET = 8 << 20;
    private static final int MAX_FETCH_BYTES = 1 << 20;
    private static final int MIN_FETCH_BYTES = 16 << 10;
    private static final long FETCH_WAIT_MS = 10_000;
    private static final byte[] RECORDS_OPEN = "{\"type\":\"records\",\"records\":[".getBytes(StandardCharsets.US_ASCII);

    private final Api api;
    private final ServerWebSocket ws;
    private final RecordFormat format;
    /** The schemas a typed format renders with; null for the other formats. */
    private final RecordSchemas schemas;
    /** The socket's event loop, where answers that may complete elsewhere are brought back. */
    private final ContextInternal context;
    private final int maxFrameBytes;
    private final Map<TopicPartition, Cursor> cursors = new LinkedHashMap<>();
    private long credit;
    private long buffered;
    private boolean closed;
    /** Its monotonic time: when the client last showed it is alive. */
    private final Clock clock;
    /** Last time the client showed it is alive: any frame, or a pong. */
    private long lastClientActivity;
    private Assignment assignment;
    private final Confinement confinement;
    /** Who the socket reads for: it reads only partitions of topics this session may READ. */
    private final Session session;
    /** The consumer byte quota deliveries count against, and the socket's client id (null: none). */
    private io.sluice.quota.ClientQuotaManager quota;
    private String clientId;
    /** Monotonic time before which nothing is delivered or fetched: the quota's throttle. */
    private long throttledUntil;
    private boolean resumeScheduled;
    private Runnable onClosed = () -> { };

    /** Where one partition stands in this session. */
    private final class Cursor {
        final TopicPartition tp;
        final RecordJsonWriter writer;
        long position;
        /** Bumped by seeks and revocations: answers to older fetches are dropped. */
        int generation;
        boolean fetching;
        /** Fetched, not yet sent for lack of credit. */
        LogReadResult pending;
        int pendingBytes;
        boolean active = true;

        Cursor(TopicPartition tp, long position) {
            this.tp = tp;
            this.position = position;
            this.writer = new RecordJsonWriter(tp.topic(), tp.partition(), format, schemas == null ? null : schemas.lookup());
        }
    }

    /** Who decides the session's partitions, and what happens to delivered and committed offsets. */
    public interface Assignment {
        /** Called once the socket is open; calls {@link ConsumeSession#assign} when partitions are known. */
        void start(ConsumeSession session);

        /** A client frame this assignment understands (commit, heartbeat), or false. */
        boolean onFrame(String type, JsonObject frame);

        /** Records of {@code tp} up to {@code nextOffset} were sent to the client. */
        void delivered(TopicPartition tp, long nextOffset);

        void close();
    }

    /** Created on the socket's event loop, which the session is confined to; security off. */
    public ConsumeSession(Api api, ServerWebSocket ws, RecordFormat format, long initialCredit, int maxFrameBytes,
                          Clock clock) {
        this(api, ws, format, initialCredit, maxFrameBytes, clock, RequestSessions.ANONYMOUS);
    }

    /** Created on the socket's event loop, which the session is confined to; reads for {@code session}. */
    public ConsumeSession(Api api, ServerWebSocket ws, RecordFormat format, long initialCredit, int maxFrameBytes,
                          Clock clock, Session session) {
        this.session = session;
        this.confinement = Confinement.toCurrentEventLoop("ConsumeSession of " + ws.remoteAddress());
        this.clock = clock;
        this.lastClientActivity = clock.monotonicMillis();
        this.api = api;
        this.ws = ws;
        this.format = format;
        this.schemas = format.typed() ? api.requireSchemas() : null;
        this.context = (ContextInternal) io.vertx.core.Vertx.currentContext();
        this.credit = initialCredit;
        this.maxFrameBytes = maxFrameBytes;
    }

    public void start(Assignment assignment) {
        confinement.check();
        this.assignment = assignment;
        api.metrics().http().webSocketOpened();
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(b -> {
            touch();
            Frames.error(ws, ErrorCode.INVALID_FRAME, "send JSON text frames");
        });
        ws.pongHandler(b -> touch());
        ws.closeHandler(v -> close());
        ws.exceptionHandler(e -> close());
        ws.drainHandler(v -> {
            confinement.check();
            pumpAll();
        });
        assignment.start(this);
    }

    /**
     * Counts what the session delivers against {@code quota} for its principal and {@code clientId}:
     * over quota, the next delivery (and fetch) waits for the throttle time, as Kafka delays a
     * fetch response; nothing is dropped.
     */
    public ConsumeSession throttledBy(io.sluice.quota.ClientQuotaManager quota, String clientId) {
        this.quota = quota.enabled() ? quota : null;
        this.clientId = clientId;
        return this;
    }

    /** Runs {@code action} once when the session closes. */
    public ConsumeSession onClosed(Runnable action) {
        this.onClosed = action;
        return this;
    }

    public ServerWebSocket socket() {
        return ws;
    }

    public boolean isClosed() {
        confinement.check();
        return closed;
    }

    // ---------------------------------------------------------------- assignment

    /** In {@link #assign}: keep reading the partition from where the session is (a group member's kept partition). */
    public static final long KEEP = GroupMember.Reader.KEEP;

    /**
     * Sets the partitions this socket reads to exactly {@code partitions}: each at its offset,
     * or resolved by {@code from} when -1, or where it already stands when {@link #KEEP}; then
     * tells the client with an {@code assigned} frame listing every partition and its position.
     * Partitions not listed stop at once.
     */
    public Future<Void> assign(int generation, Map<TopicPartition, Long> given, StartPosition from) {
        confinement.check();
        // (A coordinator assigns only readable topics, and static partitions were authorized at the
        // upgrade: this is the last line, for ACLs that changed since.)
        Map<TopicPartition, Long> partitions = new LinkedHashMap<>(given);
        partitions.keySet().removeIf(tp -> !readable(tp));
        List<Future<Long>> starts = new ArrayList<>();
        List<TopicPartition> order = new ArrayList<>(partitions.keySet());
        for (TopicPartition tp : order) {
            long offset = partitions.get(tp);
            Cursor existing = cursors.get(tp);
            if (offset == KEEP && existing != null) {
                starts.add(Future.succeededFuture(KEEP));
            } else if (offset >= 0) {
                starts.add(Future.succeededFuture(offset));
            } else {
                starts.add(from.resolve(api, tp));
            }
        }
        return Future.all(starts).map(all -> {
            confinement.check();
            if (closed) {
                return null;
            }
            for (TopicPartition tp : new ArrayList<>(cursors.keySet())) {
                if (!partitions.containsKey(tp)) {
                    stop(cursors.remove(tp));
                }
            }
            JsonArray assigned = new JsonArray();
            for (int i = 0; i < order.size(); i++) {
                TopicPartition tp = order.get(i);
                long offset = starts.get(i).result();
                if (offset != KEEP) {
                    Cursor old = cursors.get(tp);
                    if (old != null) {
                        stop(old);
                    }
                    cursors.put(tp, new Cursor(tp, offset));
                }
                assigned.add(new JsonObject().put("topic", tp.topic()).put("partition", tp.partition())
                        .put("offset", cursors.get(tp).position));
            }
            ws.writeTextMessage(new JsonObject().put("type", "assigned").put("generation", generation)
                    .put("partitions", assigned).encode());
            pumpAll();
            return null;
        });
    }

    private void stop(Cursor c) {
        c.active = false;
        dropPending(c);
    }

    /** Stops reading {@code partitions} at once: nothing more of them is sent. */
    public void revoke(int generation, Collection<TopicPartition> partitions) {
        confinement.check();
        JsonArray revoked = new JsonArray();
        for (TopicPartition tp : partitions) {
            Cursor c = cursors.remove(tp);
            if (c != null) {
                stop(c);
            }
            revoked.add(new JsonObject().put("topic", tp.topic()).put("partition", tp.partition()));
        }
        if (!closed) {
            ws.writeTextMessage(new JsonObject().put("type", "revoked").put("generation", generation)
                    .put("partitions", revoked).encode());
        }
    }

    /** Offsets of the partitions currently read: the next offset to send each. */
    public Map<TopicPartition, Long> positions() {
        confinement.check();
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        cursors.forEach((tp, c) -> out.put(tp, c.position));
        return out;
    }

    // ---------------------------------------------------------------- client frames

    private void touch() {
        confinement.check();
        lastClientActivity = clock.monotonicMillis();
    }

    /**
     * Last time the client sent anything (a frame or a pong), in monotonic milliseconds of the
     * session's clock (the node's: {@link Api#clock()}).
     */
    public long lastClientActivity() {
        confinement.check();
        return lastClientActivity;
    }

    /** Who the socket reads for. */
    public Session session() {
        return session;
    }

    /** Whether the socket's principal may READ the topic of {@code tp} (cached by the authorizer). */
    private boolean readable(TopicPartition tp) {
        return api.security().access().allowed(session, AclOperation.READ, ResourceType.TOPIC, tp.topic());
    }

    public Api api() {
        return api;
    }

    private void onText(String text) {
        touch();
        if (Frames.refuseIfTooLarge(ws, text.length(), api.broker().getInt("sluice.ws.max.frame.bytes"))) {
            return;
        }
        JsonObject frame;
        try {
            frame = new JsonObject(text);
        } catch (RuntimeException e) {
            Frames.error(ws, ErrorCode.INVALID_FRAME, "frame is not a JSON object: " + e.getMessage());
            return;
        }
        Object type = frame.getValue("type");
        try {
            if ("credit".equals(type)) {
                onCredit(frame);
            } else if ("seek".equals(type)) {
                onSeek(frame);
            } else if ("heartbeat".equals(type)) {
                // Liveness only: any frame counts, this one carries nothing else.
                return;
            } else if (!(type instanceof String t && assignment.onFrame(t, frame))) {
                Frames.error(ws, ErrorCode.INVALID_FRAME, "unknown frame type " + (type == null ? "(none)" : "'" + type + "'")
                        + "; expected credit, seek, heartbeat" + ("commit".equals(type) ? " (commit needs a group)" : ", commit"));
            }
        } catch (SluiceException e) {
            Frames.error(ws, e.code(), e.getMessage());
        } catch (RuntimeException e) {
            Frames.error(ws, ErrorCode.INVALID_FRAME, "bad frame: " + e.getMessage());
        }
    }

    private void onCredit(JsonObject frame) {
        Object records = frame.getValue("records");
        if (!(records instanceof Integer || records instanceof Long) || ((Number) records).longValue() < 1) {
            throw new SluiceException(ErrorCode.INVALID_FRAME, "credit needs 'records': a positive integer");
        }
        credit = Math.min(Long.MAX_VALUE / 2, credit + ((Number) records).longValue());
        pumpAll();
    }

    private void onSeek(JsonObject frame) {
        Object topic = frame.getValue("topic");
        Object partition = frame.getValue("partition");
        Object offset = frame.getValue("offset");
        if (!(topic instanceof String t) || !(partition instanceof Integer p)
                || !(offset instanceof Integer || offset instanceof Long) || ((Number) offset).longValue() < 0) {
            throw new SluiceException(ErrorCode.INVALID_FRAME, "seek needs 'topic' (string), 'partition' (integer) and "
                    + "'offset' (integer >= 0)");
        }
        api.security().access().checkTopic(session, AclOperation.READ, t);
        Cursor c = cursors.get(new TopicPartition(t, p));
        if (c == null) {
            throw new SluiceException(ErrorCode.NOT_ASSIGNED, "partition " + t + "-" + p + " is not read by this socket");
        }
        c.generation++;
        c.fetching = false;
        dropPending(c);
        c.position = ((Number) offset).longValue();
        pump(c);
    }

    // ---------------------------------------------------------------- the fetch loop

    private void pumpAll() {
        for (Cursor c : new ArrayList<>(cursors.values())) {
            pump(c);
        }
    }

    /** Sends what is pending if credit allows, then fetches more if credit and budget allow. */
    private void pump(Cursor c) {
        if (closed || !c.active) {
            return;
        }
        if (!readable(c.tp)) {
            // The ACL that allowed it is gone: nothing more of it, fetched or pending, is sent.
            cursors.remove(c.tp);
            stop(c);
            Frames.error(ws, ErrorCode.FORBIDDEN, AccessControl.NOT_AUTHORIZED);
            return;
        }
        if (c.pending != null) {
            deliver(c);
        }
        if (c.pending != null || c.fetching || credit <= 0 || ws.writeQueueFull() || throttled()) {
            return;
        }
        int room = BUFFER_BUDGET - (int) buffered;
        if (room < MIN_FETCH_BYTES) {
            return;
        }
        int maxBytes = Math.min(MAX_FETCH_BYTES, room);
        c.fetching = true;
        int generation = c.generation;
        buffered += maxBytes;
        FetchRequest req = FetchRequest.consumer(c.tp, c.position, maxBytes, FETCH_WAIT_MS);
        api.partitions().fetchNear(req).onComplete(ar -> {
            confinement.check();
            buffered -= maxBytes;
            if (closed || !c.active || c.generation != generation) {
                return;
            }
            if (ar.failed()) {
                c.fetching = false;
                onFetchFailed(c, ar.cause());
                return;
            }
            FetchResponse resp = ar.result();
            if (schemas != null && resp.records().hasRemaining()) {
                // Typed JSON renders from the schemas in memory: load those the chunk names first
                // (the cursor stays "fetching" meanwhile), back on this socket's event loop.
                Promise<Void> loaded = context.promise();
                schemas.loadSchemasOf(resp.records()).onComplete(loaded);
                loaded.future().onComplete(x -> {
                    confinement.check();
                    if (!closed && c.active && c.generation == generation) {
                        received(c, resp);
                    }
                });
                return;
            }
            received(c, resp);
        });
    }

    /** A fetch's answer for {@code c}: its records become pending, and the cursor moves on. */
    private void received(Cursor c, FetchResponse resp) {
        c.fetching = false;
        if (resp.records().hasRemaining()) {
            c.pending = new LogReadResult(resp.records(), c.position, resp.logStartOffset(), resp.logEndOffset());
            c.pendingBytes = resp.records().remaining();
            buffered += c.pendingBytes;
        }
        pump(c);
    }

    private void onFetchFailed(Cursor c, Throwable cause) {
        SluiceException e = ApiErrors.toSluice(cause);
        if (e.code() == ErrorCode.OFFSET_OUT_OF_RANGE) {
            // Like Kafka's auto.offset.reset: below the log start go to the start, past the end to the end.
            api.partitions().offsets(new OffsetsRequest(c.tp, OffsetsRequest.NO_TIMESTAMP)).onComplete(ar -> {
                confinement.check();
                if (ar.succeeded() && c.active && !closed) {
                    long reset = c.position < ar.result().logStartOffset() ? ar.result().logStartOffset() : ar.result().highWatermark();
                    Frames.error(ws, e.code(), "offset " + c.position + " of " + c.tp + " is out of range; continuing at " + reset);
                    c.position = reset;
                }
                retryLater(c);
            });
            return;
        }
        if (e.code() == ErrorCode.UNKNOWN_TOPIC || e.code() == ErrorCode.UNKNOWN_PARTITION) {
            Frames.error(ws, e.code(), e.getMessage());
            c.active = false;
            cursors.remove(c.tp);
            return;
        }
        retryLater(c);
    }

    private void retryLater(Cursor c) {
        int generation = c.generation;
        c.fetching = true;
        api.vertx().setTimer(200, id -> {
            confinement.check();
            if (c.generation == generation) {
                c.fetching = false;
                pump(c);
            }
        });
    }

    /** Sends pending records of {@code c} as frames, as far as credit goes. */
    private void deliver(Cursor c) {
        LogReadResult data = c.pending;
        while (credit > 0 && c.pending != null && !closed && !throttled()) {
            ByteBuf frame = Unpooled.buffer(Math.min(maxFrameBytes, c.pendingBytes * 2 + 64));
            frame.writeBytes(RECORDS_OPEN);
            int[] sent = {0};
            long start = c.position;
            long next = forEach(data, c.position, (int) Math.min(credit, Integer.MAX_VALUE), maxFrameBytes, frame, c.writer, sent);
            frame.writeBytes(CLOSE);
            if (sent[0] == 0) {
                frame.release();
                if (next > start) {
                    c.position = next;
                    continue;
                }
                dropPending(c);
                break;
            }
            credit -= sent[0];
            c.position = next;
            int frameBytes = frame.readableBytes();
            api.metrics().fetched(c.tp.topic(), sent[0], frameBytes);
            Frames.text(ws, frame);
            if (quota != null) {
                long now = clock.monotonicMillis();
                long throttle = quota.record(session.principal(), clientId, frameBytes, now);
                if (throttle > 0) {
                    throttledUntil = now + throttle;
                }
            }
            assignment.delivered(c.tp, next);
            if (!hasRecordsFrom(data, next)) {
                dropPending(c);
            }
        }
    }

    private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.US_ASCII);

    /** Whether the quota holds deliveries back now; if so, makes sure they resume when it lets go. */
    private boolean throttled() {
        if (quota == null) {
            return false;
        }
        long wait = throttledUntil - clock.monotonicMillis();
        if (wait <= 0) {
            return false;
        }
        if (!resumeScheduled) {
            resumeScheduled = true;
            api.vertx().setTimer(wait, id -> {
                confinement.check();
                resumeScheduled = false;
                pumpAll();
            });
        }
        return true;
    }

    /**
     * Writes records of {@code data} from {@code from} into {@code out}, at most {@code max} of
     * them and stopping before the frame passes {@code maxBytes} (one record always fits).
     *
     * @return the offset after the last record written, or past a compacted gap
     */
    private static long forEach(LogReadResult data, long from, int max, int maxBytes, ByteBuf out,
                                RecordJsonWriter writer, int[] sent) {
        RecordCursor cursor = new RecordCursor();
        ByteBuffer records = data.records();
        long next = from;
        for (int pos = records.position(); pos < records.limit(); ) {
            RecordBatch b = RecordBatch.at(records, pos);
            pos += b.sizeInBytes();
            if (b.lastOffset() < from) {
                continue;
            }
            cursor.reset(b);
            while (cursor.next()) {
                if (cursor.offset() < from) {
                    continue;
                }
                if (sent[0] == max || (sent[0] > 0 && out.writerIndex() >= maxBytes - 512)) {
                    return next;
                }
                if (sent[0] > 0) {
                    out.writeByte(',');
                }
                writer.write(out, cursor);
                sent[0]++;
                next = cursor.offset() + 1;
            }
            next = Math.max(next, b.nextOffset());
        }
        return next;
    }

    private static boolean hasRecordsFrom(LogReadResult data, long offset) {
        ByteBuffer records = data.records();
        for (int pos = records.position(); pos < records.limit(); ) {
            RecordBatch b = RecordBatch.at(records, pos);
            if (b.lastOffset() >= offset) {
                return true;
            }
            pos += b.sizeInBytes();
        }
        return false;
    }

    private void dropPending(Cursor c) {
        if (c.pending != null) {
            buffered -= c.pendingBytes;
            c.pending = null;
            c.pendingBytes = 0;
        }
    }

    /**
     * Ends the session at once (its group membership included) and closes the socket with
     * {@code code}: the closing handshake with a client that stopped answering would otherwise
     * take the close timeout before anything is released.
     */
    public void terminate(short code, String reason) {
        confinement.check();
        close();
        if (!ws.isClosed()) {
            ws.close(code, reason);
        }
    }

    private void close() {
        confinement.check();
        if (closed) {
            return;
        }
        // The assignment sees the final positions (auto_commit commits them) before they go.
        if (assignment != null) {
            assignment.close();
        }
        closed = true;
        api.metrics().http().webSocketClosed();
        onClosed.run();
        for (Cursor c : cursors.values()) {
            stop(c);
        }
        cursors.clear();
    }

    /** Where a partition without a committed or requested offset starts. */
    public interface StartPosition {
        Future<Long> resolve(Api api, TopicPartition tp);

        /** Parses {@code from}: earliest, latest (the default) or an epoch-millisecond timestamp. */
        static StartPosition parse(String from) {
            if (from == null || from.isEmpty() || from.equals("latest")) {
                return (api, tp) -> api.partitions().offsets(new OffsetsRequest(tp, OffsetsRequest.NO_TIMESTAMP))
                        .map(o -> o.highWatermark());
            }
            if (from.equals("earliest")) {
                return (api, tp) -> api.partitions().offsets(new OffsetsRequest(tp, OffsetsRequest.NO_TIMESTAMP))
                        .map(o -> o.logStartOffset());
            }
            long ts;
            try {
                ts = Long.parseLong(from);
            } catch (NumberFormatException e) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "'from' must be earliest, latest or an epoch-ms timestamp, got '"
                        + from + "'");
            }
            if (ts < 0) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "'from' timestamp must not be negative");
            }
            return (api, tp) -> api.partitions().offsets(new OffsetsRequest(tp, ts)).map(o -> o.timestampOffset());
        }
    }
}

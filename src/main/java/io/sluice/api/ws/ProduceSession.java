package io.sluice.api.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.api.Api;
import io.sluice.api.ApiErrors;
import io.sluice.api.json.ProduceOutcomeJson;
import io.sluice.api.json.ProduceFrame;
import io.sluice.api.json.ProduceParseException;
import io.sluice.api.json.RecordFormat;
import io.sluice.api.json.RecordJsonWriter;
import io.sluice.bus.Acks;
import io.sluice.common.Confinement;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.cluster.TopicMetadata;
import io.sluice.produce.ProduceOutcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.sluice.schema.RecordSchemas;
import io.sluice.schema.RequestSchema;
import io.sluice.schema.TypedRecords;
import io.vertx.core.http.ServerWebSocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One producer WebSocket ({@code /ws/produce?topic=t}): every text frame is a record (or
 * {@code {"records":[...]}}) with an optional {@code context}; frames are produced as they come,
 * several in flight, and answered strictly in order with {@code {"context":...,"offsets":[...]}}.
 * Past {@value #MAX_IN_FLIGHT} unanswered frames the socket is paused, so a producer that does
 * not read its answers cannot make the node queue without bound.
 *
 * <p>In a typed format ({@code format=avro|jsonschema|protobuf}) a frame's keys and values are JSON
 * encoded with the schemas the frame names ({@code key_schema[_id]}, {@code value_schema[_id]}, as in
 * a typed HTTP body) or else the URL's ({@code key_schema_id=}, {@code value_schema_id=}), and its
 * answer also carries {@code key_schema_id} and {@code value_schema_id}.
 *
 * <p>Runs on the socket's event loop, where it is created: its queue is confined to it, checked
 * where frames and produce outcomes come in ({@link Confinement}).
 */
public final class ProduceSession {
    static final int MAX_IN_FLIGHT = 256;
    private static final byte[] CONTEXT_OPEN = "{\"context\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFSETS = ",\"offsets\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private final Api api;
    private final ServerWebSocket ws;
    private final TopicMetadata topicAtOpen;
    private final RecordFormat format;
    private final Acks acks;
    private final long timeoutMs;
    /** Who the socket writes for. */
    private final io.sluice.security.Session session;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    /** A typed format's schemas and the URL's defaults for frames that name none; null otherwise. */
    private final RecordSchemas schemas;
    private final RequestSchema keySchema;
    private final RequestSchema valueSchema;
    /** The socket's event loop: a typed frame's outcome is brought back to it. */
    private final ContextInternal context;
    private boolean paused;
    private final Confinement confinement;

    /** A frame being produced, answered when it reaches the head of the queue. */
    private static final class Pending {
        final byte[] context;
        Future<ProduceOutcome> outcome;
        SluiceException rejected;
        /** A typed frame's records as encoded, with their schema ids (set before its outcome completes). */
        TypedRecords.Encoded typed;

        Pending(byte[] context) {
            this.context = context;
        }

        boolean done() {
            return rejected != null || outcome.isComplete();
        }
    }

    /** Created on the socket's event loop, which the session is confined to; security off. */
    public ProduceSession(Api api, ServerWebSocket ws, TopicMetadata topic, RecordFormat format, Acks acks, long timeoutMs) {
        this(api, ws, topic, format, acks, timeoutMs, io.sluice.api.RequestSessions.ANONYMOUS);
    }

    /** Created on the socket's event loop, which the session is confined to; writes for {@code session}. */
    public ProduceSession(Api api, ServerWebSocket ws, TopicMetadata topic, RecordFormat format, Acks acks, long timeoutMs,
                          io.sluice.security.Session session) {
        this(api, ws, topic, format, acks, timeoutMs, session, null, null);
    }

    /**
     * Created on the socket's event loop, which the session is confined to; writes for {@code session}.
     * In a typed format, {@code keySchema} and {@code valueSchema} (from the URL; may be null) name the
     * schemas of frames that name none of their own.
     */
    public ProduceSession(Api api, ServerWebSocket ws, TopicMetadata topic, RecordFormat format, Acks acks, long timeoutMs,
                          io.sluice.security.Session session, RequestSchema keySchema, RequestSchema valueSchema) {
        this.session = session;
        this.confinement = Confinement.toCurrentEventLoop("ProduceSession of " + ws.remoteAddress());
        this.context = (ContextInternal) io.vertx.core.Vertx.currentContext();
        this.schemas = format.typed() ? api.requireSchemas() : null;
        this.keySchema = keySchema;
        this.valueSchema = valueSchema;
        this.api = api;
        this.ws = ws;
        this.topicAtOpen = topic;
        this.format = format;
        this.acks = acks;
        this.timeoutMs = timeoutMs;
    }

    private Runnable onClosed = () -> { };
    /** The produce quota frames count against, and the socket's client id (null quota: none). */
    private io.sluice.quota.ClientQuotaManager quota;
    private String clientId;
    /** Reading held back by the quota. */
    private boolean throttled;

    /**
     * Counts the frames the client sends against {@code quota}: over it, the socket is not read
     * for the throttle time (answers to frames already read still go out), as Kafka mutes a
     * throttled channel.
     */
    public ProduceSession throttledBy(io.sluice.quota.ClientQuotaManager quota, String clientId) {
        this.quota = quota.enabled() ? quota : null;
        this.clientId = clientId;
        return this;
    }

    /** Runs {@code action} when the socket closes. */
    public ProduceSession onClosed(Runnable action) {
        this.onClosed = action;
        return this;
    }

    public void start() {
        confinement.check();
        api.metrics().http().webSocketOpened();
        ws.closeHandler(v -> {
            api.metrics().http().webSocketClosed();
            onClosed.run();
        });
        ws.handler(null);
        ws.frameHandler(null);
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(b -> reject(null, new SluiceException(ErrorCode.INVALID_FRAME,
                "send records as JSON text frames")));
    }

    private void onText(String text) {
        confinement.check();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (Frames.refuseIfTooLarge(ws, bytes.length, api.broker().getInt("sluice.ws.max.frame.bytes"))) {
            return;
        }
        ProduceFrame frame;
        try {
            frame = api.parser().parseFrame(bytes, 0, bytes.length, format);
        } catch (ProduceParseException e) {
            reject(null, new SluiceException(ErrorCode.INVALID_RECORD, e.getMessage()));
            return;
        }
        // WRITE on the topic for every frame: an ACL may have been removed since the upgrade.
        if (!api.security().access().allowed(session, io.sluice.security.AclOperation.WRITE,
                io.sluice.security.ResourceType.TOPIC, topicAtOpen.name())) {
            reject(frame.context(), io.sluice.security.AccessControl.forbidden());
            return;
        }
        TopicMetadata topic = api.metadata().current().topic(topicAtOpen.name());
        if (topic == null || !topic.topicId().equals(topicAtOpen.topicId())) {
            reject(frame.context(), new SluiceException(ErrorCode.UNKNOWN_TOPIC, "topic '" + topicAtOpen.name()
                    + "' was deleted"));
            return;
        }
        Pending p = new Pending(frame.context());
        if (schemas != null) {
            RequestSchema key = frame.keySchema() != null ? frame.keySchema() : keySchema;
            RequestSchema value = frame.valueSchema() != null ? frame.valueSchema() : valueSchema;
            Promise<ProduceOutcome> onLoop = context.promise();
            schemas.typed().encode(topic.name(), api.produce().schemaRules(topic), format.schemaType(), key, value, frame.records(),
                            subject -> api.security().access().check(session, io.sluice.security.AclOperation.WRITE,
                                    io.sluice.security.ResourceType.SUBJECT, subject))
                    .compose(encoded -> {
                        p.typed = encoded;
                        return api.produce().produce(topic, encoded.records(), acks, timeoutMs, null);
                    }).onComplete(onLoop);
            p.outcome = onLoop.future();
        } else {
            p.outcome = api.produce().produce(topic, frame.records(), acks, timeoutMs, null);
        }
        enqueue(p);
        p.outcome.onComplete(ar -> flush());
        if (quota != null) {
            throttle(quota.record(session.principal(), clientId, bytes.length, api.clock().monotonicMillis()));
        }
    }

    private void throttle(long waitMs) {
        if (waitMs <= 0 || throttled) {
            return;
        }
        throttled = true;
        ws.pause();
        api.vertx().setTimer(waitMs, id -> {
            confinement.check();
            throttled = false;
            if (!paused) {
                ws.resume();
            }
        });
    }

    private void reject(byte[] context, SluiceException e) {
        confinement.check();
        Pending p = new Pending(context);
        p.rejected = e;
        enqueue(p);
        flush();
    }

    private void enqueue(Pending p) {
        inFlight.add(p);
        if (inFlight.size() >= MAX_IN_FLIGHT && !paused) {
            paused = true;
            ws.pause();
        }
    }

    /** Answers, in order, every frame at the head of the queue that is done. */
    private void flush() {
        confinement.check();
        while (!inFlight.isEmpty() && inFlight.peek().done()) {
            Pending p = inFlight.poll();
            if (!ws.isClosed()) {
                ws.writeFrame(answer(p));
            }
        }
        if (paused && inFlight.size() < MAX_IN_FLIGHT / 2) {
            paused = false;
            if (!throttled) {
                ws.resume();
            }
        }
    }

    private io.vertx.core.http.WebSocketFrame answer(Pending p) {
        SluiceException error = p.rejected;
        if (error == null && p.outcome.failed()) {
            error = ApiErrors.toSluice(p.outcome.cause());
        }
        ByteBuf out = Unpooled.buffer(128);
        out.writeBytes(CONTEXT_OPEN);
        out.writeBytes(p.context == null ? NULL : p.context);
        if (error != null) {
            out.writeBytes(",\"type\":\"error\",\"error_code\":".getBytes(StandardCharsets.US_ASCII));
            RecordJsonWriter.writeLong(out, error.code().code());
            out.writeBytes(",\"message\":".getBytes(StandardCharsets.US_ASCII));
            RecordJsonWriter.writeJsonString(out, error.getMessage());
        } else {
            out.writeBytes(OFFSETS);
            ProduceOutcomeJson.writeOffsetsArray(out, p.outcome.result());
            if (p.typed != null) {
                ProduceOutcomeJson.writeSchemaIds(out, p.typed.keySchemaId(), p.typed.valueSchemaId());
            }
        }
        out.writeByte('}');
        return new io.vertx.core.http.impl.ws.WebSocketFrameImpl(io.vertx.core.http.WebSocketFrameType.TEXT, out, true);
    }

}

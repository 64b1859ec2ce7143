package io.sluice.api.http;

import io.sluice.api.ApiErrors;
import io.sluice.api.Api;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.produce.ProducerRecord;
import io.sluice.api.json.ProduceOutcomeJson;
import io.sluice.api.json.ProduceParseException;
import io.sluice.api.json.RecordFormat;
import io.sluice.bus.Acks;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.cluster.TopicMetadata;
import io.sluice.produce.ProduceOutcome;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bulk ingest of an {@code application/x-ndjson} body, one record object per line, streamed:
 * lines are parsed as chunks arrive and produced in calls of up to {@value #RECORDS_PER_CALL}
 * records, a few calls in flight at once; past that the request is paused, so a fast client
 * never makes the node buffer more than a few calls' worth. The answer lists every record's
 * offset in order once the body ends. A malformed line stops the ingest there: the records
 * before it are stored, and the 400 says which line and how many records were stored.
 */
final class NdjsonIngest {
    static final int RECORDS_PER_CALL = 1000;
    private static final int MAX_IN_FLIGHT = 4;
    private static final byte[] OFFSETS_OPEN = "{\"offsets\":[".getBytes(StandardCharsets.US_ASCII);

    private final Api api;
    private final RoutingContext ctx;
    private final HttpServerRequest request;
    private final TopicMetadata topic;
    private final RecordFormat format;
    private final Acks acks;
    private final long timeoutMs;
    private final int maxLineBytes;
    private final List<Future<ProduceOutcome>> calls = new ArrayList<>();
    private List<ProducerRecord> pending = new ArrayList<>();
    private byte[] carry = new byte[0];
    private long lines;
    private int inFlight;
    private boolean paused;
    private SluiceException stopped;
    /** Reading held back by the produce quota (a stream has no one response to delay). */
    private boolean throttled;

    NdjsonIngest(Api api, RoutingContext ctx, TopicMetadata topic, RecordFormat format, Acks acks, long timeoutMs) {
        this.api = api;
        this.ctx = ctx;
        this.request = ctx.request();
        this.topic = topic;
        this.format = format;
        this.acks = acks;
        this.timeoutMs = timeoutMs;
        this.maxLineBytes = api.broker().getInt("sluice.http.max.body.bytes");
    }

    void start() {
        request.handler(this::onChunk);
        request.endHandler(v -> onEnd());
        request.exceptionHandler(e -> stop(new SluiceException(ErrorCode.BAD_REQUEST, "request body failed: " + e.getMessage())));
        request.resume();
    }

    private void onChunk(Buffer chunk) {
        if (stopped != null) {
            return;
        }
        throttle(chunk.length());
        byte[] bytes = chunk.getBytes();
        int lineStart = 0;
        for (int i = 0; i < bytes.length && stopped == null; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (carry.length > 0) {
                byte[] line = new byte[carry.length + i - lineStart];
                System.arraycopy(carry, 0, line, 0, carry.length);
                System.arraycopy(bytes, lineStart, line, carry.length, i - lineStart);
                carry = new byte[0];
                onLine(line, 0, line.length);
            } else {
                onLine(bytes, lineStart, i - lineStart);
            }
            lineStart = i + 1;
        }
        if (stopped == null && lineStart < bytes.length) {
            int rest = bytes.length - lineStart;
            if (carry.length + rest > maxLineBytes) {
                stop(new SluiceException(ErrorCode.BODY_TOO_LARGE, "line " + (lines + 1) + " is longer than "
                        + maxLineBytes + " bytes (sluice.http.max.body.bytes)"));
                return;
            }
            byte[] joined = new byte[carry.length + rest];
            System.arraycopy(carry, 0, joined, 0, carry.length);
            System.arraycopy(bytes, lineStart, joined, carry.length, rest);
            carry = joined;
        }
    }

    private void onLine(byte[] data, int offset, int length) {
        lines++;
        int end = offset + length;
        while (end > offset && (data[end - 1] == '\r' || data[end - 1] == ' ' || data[end - 1] == '\t')) {
            end--;
        }
        if (end == offset) {
            return;
        }
        if (end - offset > maxLineBytes) {
            stop(new SluiceException(ErrorCode.BODY_TOO_LARGE, "line " + lines + " is longer than " + maxLineBytes + " bytes"));
            return;
        }
        try {
            pending.add(api.parser().parseRecord(data, offset, end - offset, format));
        } catch (ProduceParseException e) {
            stop(new SluiceException(ErrorCode.INVALID_RECORD, "line " + lines + ": " + e.getMessage()));
            return;
        }
        if (pending.size() >= RECORDS_PER_CALL) {
            dispatch();
        }
    }

    private void dispatch() {
        if (pending.isEmpty()) {
            return;
        }
        List<ProducerRecord> batch = pending;
        pending = new ArrayList<>();
        Future<ProduceOutcome> call = api.produce().produce(topic, batch, acks, timeoutMs, null);
        calls.add(call);
        inFlight++;
        if (inFlight >= MAX_IN_FLIGHT && !paused) {
            paused = true;
            request.pause();
        }
        call.onComplete(ar -> {
            inFlight--;
            if (paused && inFlight < MAX_IN_FLIGHT && stopped == null) {
                paused = false;
                if (!throttled) {
                    request.resume();
                }
            }
        });
    }

    /**
     * Counts {@code bytes} of the stream against the produce quota; over it, stops reading the
     * body for the throttle time (TCP pushes back on the client), as Kafka mutes a throttled channel.
     */
    private void throttle(int bytes) {
        io.sluice.quota.ClientQuotaManager quota = api.quotas().produce();
        if (!quota.enabled()) {
            return;
        }
        long wait = quota.record(io.sluice.api.RequestSessions.of(ctx).principal(), io.sluice.quota.Quotas.clientId(request),
                bytes, api.clock().monotonicMillis());
        if (wait > 0 && !throttled) {
            throttled = true;
            request.pause();
            api.vertx().setTimer(wait, id -> {
                throttled = false;
                if (!paused || stopped != null) {
                    request.resume();
                }
            });
        }
    }

    /** Stops parsing: what was already parsed is still produced, then the error is answered. */
    private void stop(SluiceException e) {
        if (stopped == null) {
            stopped = e;
            dispatch();
            if (paused) {
                paused = false;
                if (!throttled) {
                    request.resume();
                }
            }
            finish();
        }
    }

    private void onEnd() {
        if (stopped != null) {
            return;
        }
        if (carry.length > 0) {
            byte[] last = carry;
            carry = new byte[0];
            onLine(last, 0, last.length);
            if (stopped != null) {
                return;
            }
        }
        dispatch();
        finish();
    }

    private void finish() {
        Future.join(calls).onComplete(ignored -> {
            long stored = 0;
            SluiceException failed = stopped;
            for (Future<ProduceOutcome> c : calls) {
                if (c.succeeded()) {
                    stored += c.result().succeeded();
                } else if (failed == null) {
                    failed = ApiErrors.toSluice(c.cause());
                }
            }
            if (failed != null) {
                ErrorResponder.send(ctx.response(), failed.code(), failed.getMessage() + " (" + stored
                        + " record(s) before it were stored)");
                return;
            }
            respond();
        });
    }

    private void respond() {
        ErrorCode worst = null;
        int records = 0;
        for (Future<ProduceOutcome> c : calls) {
            ErrorCode w = c.result().worstError();
            records += c.result().size();
            if (w != null && (worst == null || w.httpStatus() > worst.httpStatus())) {
                worst = w;
            }
        }
        ByteBuf out = Unpooled.buffer(32 + records * 32);
        out.writeBytes(OFFSETS_OPEN);
        boolean first = true;
        for (Future<ProduceOutcome> c : calls) {
            ProduceOutcomeJson.writeEntries(out, c.result(), !first && c.result().size() > 0);
            first &= c.result().size() == 0;
        }
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        int status = worst != null ? worst.httpStatus() : acks == Acks.NONE ? 202 : 200;
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(BufferInternal.buffer(out));
    }
}

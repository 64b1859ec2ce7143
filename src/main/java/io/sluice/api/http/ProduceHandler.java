package io.sluice.api.http;

import io.sluice.api.Api;
import io.sluice.api.Params;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.util.AsciiString;
import io.sluice.produce.ProducerRecord;
import io.sluice.api.json.ProduceOutcomeJson;
import io.sluice.api.json.RecordFormat;
import io.sluice.api.json.RecordJsonWriter;
import io.sluice.api.json.SchemaBatch;
import io.sluice.schema.TypedRecords;
import io.sluice.bus.Acks;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.cluster.TopicMetadata;
import io.sluice.produce.ProduceOutcome;
import io.sluice.produce.ProduceService;
import io.sluice.security.AclOperation;
import io.sluice.security.ResourceType;
import io.sluice.security.Session;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code POST /topics/{topic}/records} and {@code POST /topics/{topic}}: a JSON batch
 * ({@code {"records":[...]}}) in the json, binary or text format chosen by the content type, or
 * an {@code application/x-ndjson} stream handed to {@link NdjsonIngest}. A typed body (REST Proxy
 * v2's avro, jsonschema and protobuf content types) is encoded with its schemas first
 * ({@link TypedRecords}), and its answer also names {@code key_schema_id} and {@code value_schema_id}. Answers
 * {@code {"offsets":[...]}} in record order with the worst record's status, or 202 for
 * {@code acks=0}.
 */
public final class ProduceHandler {
    static final String NDJSON = "application/x-ndjson";
    private static final byte[] OFFSETS_OPEN = "{\"offsets\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_OPEN = "{\"error_code\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = ",\"message\":".getBytes(StandardCharsets.US_ASCII);
    private static final AsciiString IDEMPOTENCY_KEY = AsciiString.cached("idempotency-key");
    private static final byte[] OFFSETS_AFTER = ",\"offsets\":".getBytes(StandardCharsets.US_ASCII);

    private final Api api;
    /** sluice.http.max.body.bytes (broker settings are immutable: read once, not per request). */
    private final int maxBodyBytes;

    private final HttpQuotas quotas;

    ProduceHandler(Api api, HttpQuotas quotas) {
        this.api = api;
        this.quotas = quotas;
        this.maxBodyBytes = api.broker().getInt("sluice.http.max.body.bytes");
    }

    void handle(RoutingContext ctx) {
        Session session = HttpAuthentication.session(ctx);
        if (isNdjson(ctx.request())) {
            api.security().access().checkTopic(session, AclOperation.WRITE, ctx.pathParam("topic"));
            TopicMetadata topic = ProduceService.writableByClients(api.metadata().topic(ctx.pathParam("topic")));
            Acks acks = Acks.parse(ctx.request().getParam("acks"));
            long timeout = Params.queryLong(ctx.request(), "timeout_ms", api.produce().defaultTimeoutMs(), 0, 3_600_000);
            RecordFormat format = RecordFormat.fromQuery(ctx.request().getParam("format"));
            if (format.typed()) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "the " + format.queryValue() + " format takes a batch body "
                        + "(application/vnd.kafka." + format.queryValue() + ".v2+json), not " + NDJSON);
            }
            new NdjsonIngest(api, ctx, topic, format, acks, timeout).start();
            return;
        }
        produceBatch(ctx.request(), ctx.pathParam("topic"), ctx.request().getHeader(HttpHeaderNames.CONTENT_TYPE), session,
                ctx::fail);
    }

    static boolean isNdjson(HttpServerRequest request) {
        return isNdjson(request.getHeader(HttpHeaderNames.CONTENT_TYPE));
    }

    static boolean isNdjson(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, NDJSON, 0, NDJSON.length());
    }

    /**
     * A batch in one body (any format but NDJSON) to {@code topicName}: answers the request, or
     * hands the error to {@code onError} (nothing answered) for the caller to answer. Needs no
     * routing context, so that {@link ProduceDispatch} can call it ahead of the router. Authorizes
     * first: WRITE on the topic for {@code session} (which also suffices for an idempotent
     * producer's id, as in Kafka 3), before the topic is looked up.
     *
     * <p>Written with callbacks rather than a chain of composed futures: this runs once per
     * request, and each link of a chain is a future of its own, completed and dispatched in turn.
     */
    void produceBatch(HttpServerRequest request, String topicName, String contentType, Session session,
                      Handler<Throwable> onError) {
        TopicMetadata topic;
        Acks acks;
        long timeout;
        RecordFormat format;
        try {
            api.security().access().checkTopic(session, AclOperation.WRITE, topicName);
            topic = ProduceService.writableByClients(api.metadata().topic(topicName));
            acks = Acks.parse(Params.query(request, "acks"));
            timeout = Params.queryLong(request, "timeout_ms", api.produce().defaultTimeoutMs(), 0, 3_600_000);
            format = RecordFormat.fromContentType(contentType).orElseThrow(() -> new SluiceException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported content type '" + contentType + "'; use application/json, "
                    + "application/vnd.kafka.{json,binary,text,avro,jsonschema,protobuf}.v2+json or " + NDJSON));
            if (format.typed()) {
                api.requireSchemas();
            }
        } catch (RuntimeException e) {
            onError.handle(e);
            return;
        }
        if (quotas.refused(request, session, quotas.produce())) {
            return;
        }
        String idempotencyKey = request.getHeader(IDEMPOTENCY_KEY);
        Bodies.read(request, maxBodyBytes).onComplete((body, bodyError) -> {
            if (bodyError != null) {
                onError.handle(bodyError);
                return;
            }
            Future<ProduceOutcome> produced;
            TypedRecords.Encoded[] typed = {null};
            try {
                Bodies.Slice s = Bodies.Slice.of(body);
                if (format.typed()) {
                    SchemaBatch batch = api.parser().parseSchemaBatch(s.array(), s.offset(), s.length(), format);
                    produced = api.requireSchemas().typed().encode(topic.name(), api.produce().schemaRules(topic),
                            format.schemaType(), batch.keySchema(), batch.valueSchema(), batch.records(),
                            subject -> api.security().access().check(session, AclOperation.WRITE, ResourceType.SUBJECT, subject))
                            .compose(encoded -> {
                                typed[0] = encoded;
                                return api.produce().produce(topic, encoded.records(), acks, timeout, idempotencyKey);
                            });
                } else {
                    List<ProducerRecord> records = api.parser().parseBatch(s.array(), s.offset(), s.length(), format);
                    produced = api.produce().produce(topic, records, acks, timeout, idempotencyKey);
                }
            } catch (RuntimeException e) {
                onError.handle(e);
                return;
            }
            produced.onComplete((outcome, error) -> {
                if (error != null) {
                    onError.handle(error);
                    return;
                }
                if (!quotas.produce().enabled()) {
                    answer(request, outcome, acks, typed[0], onError);
                    return;
                }
                // (Kafka counts the request's size against the produce quota.)
                quotas.respondWithin(request, session, quotas.produce(), body.length(),
                        () -> answer(request, outcome, acks, typed[0], onError));
            });
        });
    }

    private static void answer(HttpServerRequest request, ProduceOutcome outcome, Acks acks, TypedRecords.Encoded typed,
                               Handler<Throwable> onError) {
        try {
            respond(request.response(), outcome, acks, typed);
        } catch (RuntimeException e) {
            onError.handle(e);
        }
    }

    /** Writes {@code {"offsets":[...]}} with the status the outcome calls for. */
    static void respond(HttpServerResponse response, ProduceOutcome outcome, Acks acks) {
        respond(response, outcome, acks, null);
    }

    /**
     * Writes {@code {"offsets":[...]}} with the status the outcome calls for; after a typed produce
     * ({@code typed} not null) also {@code key_schema_id} and {@code value_schema_id}, as REST Proxy v2.
     */
    static void respond(HttpServerResponse response, ProduceOutcome outcome, Acks acks, TypedRecords.Encoded typed) {
        ErrorCode worst = outcome.worstError();
        int status = worst != null ? worst.httpStatus() : acks == Acks.NONE ? 202 : 200;
        ByteBuf out = Unpooled.buffer(32 + outcome.size() * 32);
        if (outcome.allFailedAlike()) {
            // Nothing was stored: the answer is the API's error shape, slots included.
            out.writeBytes(ERROR_OPEN);
            RecordJsonWriter.writeLong(out, worst.code());
            out.writeBytes(MESSAGE);
            RecordJsonWriter.writeJsonString(out, outcome.firstMessage());
            out.writeBytes(OFFSETS_AFTER);
        } else {
            out.writeBytes(OFFSETS_OPEN);
        }
        ProduceOutcomeJson.writeOffsetsArray(out, outcome);
        if (typed != null) {
            ProduceOutcomeJson.writeSchemaIds(out, typed.keySchemaId(), typed.valueSchemaId());
        }
        out.writeByte('}');
        response.setStatusCode(status).putHeader(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        if (worst != null && worst.retriable()) {
            response.putHeader("retry-after", "1");
        }
        response.end(BufferInternal.buffer(out));
    }

}

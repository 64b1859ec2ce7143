package io.sluice.api.http;

import io.sluice.api.Api;
import io.sluice.api.Params;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.api.json.RecordFormat;
import io.sluice.api.json.RecordJsonWriter;
import io.sluice.bus.FetchRequest;
import io.sluice.bus.OffsetsRequest;
import io.sluice.bus.TopicPartition;
import io.sluice.log.LogReadResult;
import io.vertx.core.Future;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /topics/{t}/partitions/{p}/records} (a long poll: waits up to {@code timeout_ms}
 * for records at {@code offset}) and {@code GET /topics/{t}/partitions/{p}/offsets}. Consumers
 * read only below the high watermark. With {@code format=avro|jsonschema|protobuf} keys and values
 * in Confluent's wire format are rendered as JSON ({@link RecordJsonWriter}).
 */
final class FetchHandler {
    private static final byte[] RECORDS_OPEN = "{\"records\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEXT_OFFSET = "],\"next_offset\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HIGH_WATERMARK = ",\"high_watermark\":".getBytes(StandardCharsets.US_ASCII);

    private final Api api;

    private final HttpQuotas quotas;

    FetchHandler(Api api, HttpQuotas quotas) {
        this.api = api;
        this.quotas = quotas;
    }

    void records(RoutingContext ctx) {
        TopicPartition tp = new TopicPartition(ctx.pathParam("topic"), Params.partition(ctx));
        api.metadata().partition(tp);
        RecordFormat format = RecordFormat.fromQuery(ctx.request().getParam("format"));
        int maxRecords = Params.queryInt(ctx, "max_records", 500, 1, 100_000);
        int maxBytes = Params.queryInt(ctx, "max_bytes", 1 << 20, 1, 64 << 20);
        long timeout = Params.queryLong(ctx, "timeout_ms", 0, 0, api.broker().getLong("sluice.fetch.max.wait.ms"));
        String offsetParam = ctx.request().getParam("offset");
        io.sluice.security.Session session = HttpAuthentication.session(ctx);
        if (quotas.refused(ctx.request(), session, quotas.fetch())) {
            return;
        }
        Future<Long> start = offsetParam == null || offsetParam.isEmpty()
                ? api.partitions().offsets(new OffsetsRequest(tp, OffsetsRequest.NO_TIMESTAMP)).map(o -> o.logStartOffset())
                : Future.succeededFuture(Params.parseLong("offset", offsetParam, 0, Long.MAX_VALUE,
                io.sluice.common.ErrorCode.INVALID_OFFSET));
        io.sluice.schema.RecordSchemas schemas = format.typed() ? api.requireSchemas() : null;
        start.compose(offset -> api.partitions().fetch(FetchRequest.consumer(tp, offset, maxBytes, timeout)))
                // (A typed format renders from the schemas in memory: load those the chunk names first.)
                .compose(resp -> schemas == null ? Future.succeededFuture(resp) : schemas.loadSchemasOf(resp.records()).map(resp))
                .onSuccess(resp -> {
                    RecordJsonWriter writer = new RecordJsonWriter(tp.topic(), tp.partition(), format,
                            schemas == null ? null : schemas.lookup());
                    LogReadResult data = new LogReadResult(resp.records(), resp.fetchOffset(), resp.logStartOffset(),
                            resp.logEndOffset());
                    ByteBuf out = Unpooled.buffer(64 + resp.records().remaining() * 2);
                    out.writeBytes(RECORDS_OPEN);
                    int[] count = {0};
                    long next = data.forEachRecord(maxRecords, c -> {
                        if (count[0]++ > 0) {
                            out.writeByte(',');
                        }
                        writer.write(out, c);
                    });
                    out.writeBytes(NEXT_OFFSET);
                    RecordJsonWriter.writeLong(out, next);
                    out.writeBytes(HIGH_WATERMARK);
                    RecordJsonWriter.writeLong(out, resp.highWatermark());
                    out.writeByte('}');
                    api.metrics().fetched(tp.topic(), count[0], out.readableBytes());
                    quotas.respondWithin(ctx.request(), session, quotas.fetch(), out.readableBytes(),
                            () -> ctx.response().putHeader("content-type", "application/json").end(BufferInternal.buffer(out)));
                })
                .onFailure(ctx::fail);
    }

    void offsets(RoutingContext ctx) {
        TopicPartition tp = new TopicPartition(ctx.pathParam("topic"), Params.partition(ctx));
        api.metadata().partition(tp);
        long ts = Params.queryLong(ctx, "timestamp", OffsetsRequest.NO_TIMESTAMP, -1, Long.MAX_VALUE);
        api.partitions().offsets(new OffsetsRequest(tp, ts)).onSuccess(o -> {
            JsonObject body = new JsonObject().put("log_start_offset", o.logStartOffset())
                    .put("high_watermark", o.highWatermark()).put("log_end_offset", o.logEndOffset());
            if (ts >= 0) {
                body.put("timestamp_offset", o.timestampOffset());
            }
            ctx.json(body);
        }).onFailure(ctx::fail);
    }
}

package io.sluice.tools.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The HTTP produce engine shared by the produce-batch, produce-ndjson and produce-single
 * workloads: sends {@code --records} records as prebuilt bodies of {@code --batch} records
 * over the client's keep-alive pool, {@code connections × inflight} requests at a time (each a
 * lane that sends its next request when the previous one is answered). Records count only once
 * their request is answered with the expected status; the first answer is parsed and checked
 * to hold one offset per record.
 */
final class HttpProducer {
    /**
     * What the requests carry: their content type, and a body of n records, built once for a
     * full request of {@code batch} records and once for the remainder.
     */
    record Bodies(String contentType, int batch, IntFunction<Buffer> build) {
    }

    private final Bench bench;
    private final Producing load;
    private final HttpClientAgent client;
    private final Meter meter;
    private final RequestOptions request;
    private final Buffer body;
    private final int perRequest;
    private final Buffer lastBody;
    private final int lastCount;
    private final long requests;
    private final int expectedStatus;
    private final long stopAtNanos;
    private final AtomicLong issued = new AtomicLong();
    private final AtomicInteger lanesLeft = new AtomicInteger();
    private final AtomicBoolean checked = new AtomicBoolean();
    private final Promise<Void> done = Promise.promise();
    private long startNanos;

    /** The measured part: {@code --records} records to the node. */
    HttpProducer(Bench bench, Producing load, Bodies bodies, Meter meter) {
        this(bench, load, bodies, bench.http, meter, load.records, Long.MAX_VALUE);
    }

    /**
     * @param client      the pool the requests go out on (the node's, or produce-single's --versus)
     * @param records     how many records to send
     * @param stopAtNanos no request is started after this {@code System.nanoTime()} (the warm-up's end)
     */
    HttpProducer(Bench bench, Producing load, Bodies bodies, HttpClientAgent client, Meter meter, long records,
                 long stopAtNanos) {
        this.bench = bench;
        this.load = load;
        this.client = client;
        this.meter = meter;
        this.request = bench.target.identified(new RequestOptions().setMethod(HttpMethod.POST)
                .setURI(load.producePath(bench.target.topic)).putHeader("content-type", bodies.contentType()));
        this.perRequest = (int) Math.min(bodies.batch(), records);
        this.body = bodies.build().apply(perRequest);
        this.requests = (records + perRequest - 1) / perRequest;
        this.lastCount = (int) (records - (requests - 1) * perRequest);
        this.lastBody = lastCount == perRequest ? body : bodies.build().apply(lastCount);
        this.expectedStatus = load.acks.equals("0") ? 202 : 200;
        this.stopAtNanos = stopAtNanos;
    }

    /**
     * Sends the same requests for {@code --warmup-s} seconds without counting them, so that the
     * measured part runs on compiled code in this JVM (its JIT takes seconds on 2 shared cores).
     */
    static void warmUp(Bench bench, Producing load, Bodies bodies) throws Exception {
        warmUp(bench, load, bodies, bench.http, bench.workload + " warm-up", load.warmupSeconds * 1_000_000_000L);
    }

    /** The same for {@code nanos} against {@code client}'s server, with {@code label} on the progress lines. */
    static void warmUp(Bench bench, Producing load, Bodies bodies, HttpClientAgent client, String label, long nanos)
            throws Exception {
        if (nanos == 0) {
            return;
        }
        Meter warm = new Meter("warm-up");
        long stop = System.nanoTime() + nanos;
        Progress progress = new Progress(label, java.util.List.of(warm));
        try {
            bench.await(new HttpProducer(bench, load, bodies, client, warm, Long.MAX_VALUE / 2, stop).start());
        } finally {
            progress.stop();
        }
        if (warm.errors() > 0) {
            throw new IllegalStateException("warm-up failed: " + warm.firstError());
        }
    }

    /** Starts the lanes; the future completes when every request has been answered. */
    Future<Void> start() {
        int lanes = (int) Math.min(requests, (long) load.connections * load.inflight);
        lanesLeft.set(lanes);
        startNanos = System.nanoTime();
        for (int i = 0; i < lanes; i++) {
            bench.loop(i).runOnContext(v -> next());
        }
        return done.future();
    }

    long startNanos() {
        return startNanos;
    }

    private void next() {
        long n = issued.getAndIncrement();
        if (n >= requests || System.nanoTime() > stopAtNanos) {
            if (lanesLeft.decrementAndGet() == 0) {
                done.complete();
            }
            return;
        }
        boolean last = n == requests - 1;
        Buffer b = last ? lastBody : body;
        int count = last ? lastCount : perRequest;
        client.request(request)
                .compose(req -> req.send(b))
                .compose(resp -> answer(resp, count))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        meter.add(count);
                    } else {
                        meter.error(String.valueOf(ar.cause()));
                    }
                    next();
                });
    }

    /** Reads the answer: the first one (and any failure) whole, the others just to their end. */
    private Future<Void> answer(HttpClientResponse resp, int count) {
        if (resp.statusCode() != expectedStatus) {
            return resp.body().compose(b -> Future.failedFuture("status " + resp.statusCode() + ": " + b));
        }
        if (!checked.compareAndSet(false, true) || expectedStatus == 202) {
            return resp.end();
        }
        return resp.body().compose(b -> {
            JsonArray offsets = new JsonObject(b).getJsonArray("offsets");
            if (offsets == null || offsets.size() != count) {
                return Future.failedFuture("first answer does not hold " + count + " offsets: " + abbreviate(b));
            }
            return Future.succeededFuture();
        });
    }

    private static String abbreviate(Buffer b) {
        String s = b.toString();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** Runs to completion and reports records/s and MiB/s from the first request to the last answer. */
    static void run(Bench bench, Producing load, Bodies bodies, Results r) throws Exception {
        warmUp(bench, load, bodies);
        Meter acked = new Meter("acked");
        HttpProducer p = new HttpProducer(bench, load, bodies, acked);
        Progress progress = new Progress(bench.workload, java.util.List.of(acked));
        try {
            bench.await(p.start());
        } finally {
            progress.stop();
        }
        p.report(r, "");
    }

    /** Puts this producer's figures under {@code prefix}; fewer records acknowledged than sent fails the run. */
    void report(Results r, String prefix) {
        r.rate(prefix, meter.records(), load.recordSize, meter.lastNanos() - startNanos);
        r.meter(prefix, meter);
        r.put(prefix + "requests", requests);
        if (meter.records() != load.records) {
            r.fail(meter.records() + " of " + load.records + " records acknowledged");
        }
    }
}

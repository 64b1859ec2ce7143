package io.sluice.tools.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code e2e}: publish → WebSocket delivery latency. A consumer socket at {@code from=latest}
 * (event loop 1) and a producer (event loop 0) that sends one record at a time at
 * {@code --rate} msg/s, by single-record POST ({@code --via http}) or on a produce socket
 * ({@code --via ws}). Each value carries its sequence number and {@code System.nanoTime()} at
 * the send; the consumer records receive − send. The first {@code --warmup} records are not
 * counted, and the measured schedule starts once they are all acknowledged and delivered. By
 * default the schedule is open-loop (a slow answer does not delay the next send), so queueing
 * shows in the latency instead of being hidden. {@code --pacing sync} measures as NATS's bench
 * and Kafka's EndToEndLatency do: each send also waits for the previous acknowledgement, so a
 * stall delays the sends behind it (catching up after) instead of adding to their latency.
 */
final class EndToEnd implements Workload {
    private Bench bench;
    private int total;
    private final Latency delivery = new Latency();
    private final Latency ack = new Latency();
    private final Meter sent = new Meter("acked");
    private final Meter received = new Meter("received");
    private final BitSet seen = new BitSet();
    private final Promise<Void> allReceived = Promise.promise();
    private final Promise<Void> allAcked = Promise.promise();
    private long acks;
    private RequestOptions post;
    private WebSocket producerSocket;
    private final ArrayDeque<long[]> wsInFlight = new ArrayDeque<>();
    /** With {@code --pacing sync}: released by each acknowledgement (or error), taken before each send. */
    private final Semaphore ackedPermit = new Semaphore(1);
    private boolean sync;
    /** Records sent and not yet acknowledged, and the most there ever were (1 under sync pacing). */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    /** With {@code --latency-log}: "sequence latency_us wall_clock_ms" per measured record, to find stalls. */
    private StringBuilder latencyLog;

    @Override
    public void run(Bench bench, Results r) throws Exception {
        this.bench = bench;
        Options opt = bench.opt;
        total = (int) (opt.warmup + opt.records);
        sync = opt.pacing.equals("sync");
        latencyLog = opt.latencyLog == null ? null : new StringBuilder();
        Promise<Void> assigned = Promise.promise();
        WebSocket consumer = bench.await(bench.connect(1, "/ws/consume?topics=" + opt.topic + "&from=latest&credit="
                + (total + 1000), ws -> Messages.onMessage(ws, frame -> onConsumed(frame, assigned))));
        bench.await(assigned.future());
        if (opt.via.equals("ws")) {
            producerSocket = bench.await(bench.connect(0, "/ws/produce?topic=" + opt.topic + "&acks=" + opt.acks,
                    ws -> Messages.onMessage(ws, this::onWsAnswer)));
        } else {
            post = new RequestOptions().setMethod(HttpMethod.POST).setURI(opt.producePath())
                    .putHeader("content-type", "application/json").setIdleTimeout(30_000);
        }
        double achieved;
        Progress progress = new Progress(opt.workload, List.of(sent, received));
        try {
            pace(bench.loop(0), 0, opt.warmup, opt.rate);
            drainWarmUp(opt.warmup);
            achieved = pace(bench.loop(0), opt.warmup, total, opt.rate);
            bench.await(Future.all(allAcked.future(), Future.any(allReceived.future(), bench.vertx.timer(30_000))));
        } finally {
            progress.stop();
        }
        consumer.close();
        if (latencyLog != null) {
            Files.writeString(Path.of(opt.latencyLog), latencyLog);
        }
        r.put("via", opt.via);
        r.put("pacing", opt.pacing);
        r.put("max_in_flight", maxInFlight.get());
        r.put("rate_target", opt.rate);
        r.put("rate_achieved", achieved, 1);
        r.put("warmup", opt.warmup);
        delivery.report(r, "latency.");
        ack.report(r, "ack.");
        r.meter("produce.", sent);
        r.meter("consume.", received);
        if (received.records() != total || seen.cardinality() != total) {
            r.fail("received " + received.records() + " records (" + seen.cardinality() + " distinct) of " + total);
        }
    }

    /**
     * Sends records {@code from} to {@code to} (exclusive) at {@code rate}/s on a schedule that
     * starts now; returns the rate achieved.
     */
    private double pace(ContextInternal loop, int from, int to, int rate) throws InterruptedException {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        for (int i = from; i < to; i++) {
            long due = start + (i - from) * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (sync && !ackedPermit.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("record " + (i - 1) + " was not acknowledged within 30 s");
            }
            int seq = i;
            loop.runOnContext(v -> send(seq));
        }
        return (to - from) / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Waits (up to 30 s) until every warm-up record is acknowledged and delivered, so that a
     * queue built while this JVM and the server were still compiling does not leak into the
     * measured part.
     */
    private void drainWarmUp(int warmup) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((sent.records() + sent.errors() < warmup || received.records() < warmup) && System.nanoTime() < until) {
            Thread.sleep(5);
        }
    }

    private void send(int seq) {
        long now = System.nanoTime();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        String record = Payloads.record(Payloads.stampedValue(bench.opt.recordSize, seq, now));
        if (producerSocket != null) {
            wsInFlight.add(new long[] {seq, now});
            producerSocket.writeTextMessage("{\"records\":[" + record + "],\"context\":" + seq + "}");
            return;
        }
        bench.http.request(post)
                .compose(req -> req.send(Buffer.buffer("{\"records\":[" + record + "]}")))
                .compose(resp -> resp.statusCode() == 200 ? resp.end()
                        : resp.body().compose(b -> Future.failedFuture("status " + resp.statusCode() + ": " + b)))
                .onComplete(ar -> acked(seq, now, ar.succeeded() ? null : String.valueOf(ar.cause())));
    }

    private void onWsAnswer(Buffer answer) {
        long[] head = wsInFlight.poll();
        if (head == null) {
            sent.error("answer with nothing in flight: " + Messages.head(answer, 200));
            return;
        }
        JsonObject a = new JsonObject(answer);
        boolean ok = a.getLong("context", -1L) == head[0] && a.getJsonArray("offsets") != null;
        acked((int) head[0], head[1], ok ? null : "unexpected answer " + Messages.head(answer, 300));
    }

    private void acked(int seq, long sentNanos, String error) {
        inFlight.decrementAndGet();
        if (error != null) {
            sent.error(error);
        } else {
            if (seq >= bench.opt.warmup) {
                ack.record(System.nanoTime() - sentNanos);
            }
            sent.add(1);
        }
        if (sync) {
            ackedPermit.release();
        }
        if (++acks == total) {
            allAcked.complete();
        }
    }

    private void onConsumed(Buffer frame, Promise<Void> assigned) {
        long now = System.nanoTime();
        JsonObject f = new JsonObject(frame);
        String type = f.getString("type");
        if ("assigned".equals(type)) {
            assigned.tryComplete();
            return;
        }
        if (!"records".equals(type)) {
            received.error(Messages.head(frame, 300));
            return;
        }
        for (Object o : f.getJsonArray("records")) {
            String value = ((JsonObject) o).getString("value");
            int c1 = value.indexOf(':');
            int c2 = value.indexOf(':', c1 + 1);
            int seq = Integer.parseInt(value, 0, c1, 10);
            long sentNanos = Long.parseLong(value, c1 + 1, c2, 10);
            if (seen.get(seq)) {
                received.error("record " + seq + " delivered twice");
            }
            seen.set(seq);
            if (seq >= bench.opt.warmup) {
                delivery.record(now - sentNanos);
                if (latencyLog != null) {
                    latencyLog.append(seq).append(' ').append((now - sentNanos) / 1000).append(' ')
                            .append(System.currentTimeMillis()).append('\n');
                }
            }
            received.add(1);
        }
        if (received.records() >= total) {
            allReceived.tryComplete();
        }
    }
}

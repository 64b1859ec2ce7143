package io.sluice.tools.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.netty.util.concurrent.EventExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code e2e}: publish → WebSocket delivery latency. A consumer socket at {@code from=latest} and
 * a producer that sends one record at a time at {@code --rate} msg/s, by single-record POST
 * ({@code --via http}) or on a produce socket ({@code --via ws}). Each value carries its sequence
 * number and {@code System.nanoTime()} at the send; the consumer records receive − send.
 *
 * <p>Both sockets and the send schedule live on one event loop, as Kafka's EndToEndLatency runs in
 * one thread: a send is a task on Netty's nanosecond timer of that loop, not a hand-off from a
 * pacing thread, so the instrument wakes one thread of its own per record and adds no hop of its
 * own to what it measures.
 *
 * <p>The first {@code --warmup} records are not counted. They go at {@code --warmup-rate} with
 * the measured pacing, so that the JIT compilers of both sides compile the paths the measured
 * part takes (under open pacing those include multi-record deliveries after a stall). The
 * measured schedule starts once they are all acknowledged and delivered, so that a queue built
 * while the compilers were still at work does not leak into it. By default the schedule
 * is open-loop (a slow answer does not delay the next send), so queueing shows in the latency
 * instead of being hidden. {@code --pacing sync} measures as NATS's bench and Kafka's
 * EndToEndLatency do: each send also waits for the previous acknowledgement, so a stall delays the
 * sends behind it (catching up after) instead of adding to their latency.
 */
@Command(name = "e2e",
        description = "Publish -> WebSocket delivery latency at --rate msg/s, one record at a time, --via http or ws.")
final class EndToEnd extends WorkloadCommand {
    @Option(names = "--records", paramLabel = "N", description = "Records measured (default: ${DEFAULT-VALUE}).")
    int records = 10_000;

    @Option(names = "--record-size", paramLabel = "S",
            description = "Stored value bytes, a JSON string, quotes included; at least 48, for the sequence number "
                    + "and send time it carries (default: ${DEFAULT-VALUE}).")
    int recordSize = 100;

    @Option(names = "--connections", paramLabel = "C",
            description = "HTTP connections for --via http; --via ws always uses 1 socket (default: ${DEFAULT-VALUE}).")
    int connections = 4;

    @Option(names = "--acks", paramLabel = "A", description = "0, 1 or all (default: ${DEFAULT-VALUE}).")
    String acks = "1";

    @Option(names = "--keys", paramLabel = "K", description = "Records carry keys k0..k{K-1} in turn (default: no key).")
    Integer keys;

    @Option(names = "--rate", paramLabel = "R", description = "Publish rate, msg/s (default: ${DEFAULT-VALUE}).")
    int rate = 1000;

    @Option(names = "--via", paramLabel = "V",
            description = "The producer: http (single-record POST, acks) or ws (a produce socket) (default: ${DEFAULT-VALUE}).")
    String via = "http";

    @Option(names = "--pacing", paramLabel = "P",
            description = "open: each record at its time, whatever the answers; sync: at its time, but not before the "
                    + "previous one is acknowledged (NATS's e2e method: a stall then delays later sends instead of "
                    + "adding to their latency) (default: ${DEFAULT-VALUE}).")
    String pacing = "open";

    @Option(names = "--latency-log", paramLabel = "F",
            description = "Write 'sequence latency_us wall_clock_ms' per measured record to F.")
    String latencyLogFile;

    @Option(names = "--warmup", paramLabel = "W", description = "Records sent before measuring, not counted (default: ${DEFAULT-VALUE}).")
    int warmup = 2000;

    @Option(names = "--warmup-rate", paramLabel = "R",
            description = "Warm-up rate, msg/s, with the measured pacing (faster: the JIT compilers of both sides "
                    + "finish sooner) (default: --rate).")
    Integer warmupRate;

    private Bench bench;
    private int total;
    private final Latency delivery = new Latency();
    private final Latency ack = new Latency();
    private final Meter sent = new Meter("acked");
    private final Meter received = new Meter("received");
    private final BitSet seen = new BitSet();
    private final Promise<Void> allReceived = Promise.promise();
    private final Promise<Void> allAcked = Promise.promise();
    private long answered;
    private RequestOptions post;
    private WebSocket producerSocket;
    private final ArrayDeque<long[]> wsInFlight = new ArrayDeque<>();
    private boolean sync;
    /** The send schedule running now (warm-up, then the measured one); touched on the loop only. */
    private Schedule schedule;
    /** Completed on the loop once every warm-up record is acknowledged and delivered. */
    private final Promise<Void> warmedUp = Promise.promise();
    /** Records sent and not yet acknowledged, and the most there ever were (1 under sync pacing). */
    private int inFlight;
    private int maxInFlight;
    /** With {@code --latency-log}: "sequence latency_us wall_clock_ms" per measured record, to find stalls. */
    private StringBuilder latencyLog;

    @Override
    void validate() {
        super.validate();
        Checks.atLeast(spec, "--records", records, 1);
        Checks.atLeast(spec, "--record-size", recordSize, 48);
        Checks.atLeast(spec, "--connections", connections, 1);
        Checks.oneOf(spec, "--acks", acks, "0", "1", "all");
        if (keys != null) {
            Checks.atLeast(spec, "--keys", keys, 1);
        }
        Checks.atLeast(spec, "--rate", rate, 1);
        Checks.oneOf(spec, "--via", via, "http", "ws");
        Checks.oneOf(spec, "--pacing", pacing, "open", "sync");
        Checks.atLeast(spec, "--warmup", warmup, 0);
        if (warmupRate != null) {
            Checks.atLeast(spec, "--warmup-rate", warmupRate, 1);
        }
    }

    @Override
    Bench.Clients clients() {
        return new Bench.Clients(connections, 1, 2);
    }

    @Override
    void run(Bench bench, Results r) throws Exception {
        this.bench = bench;
        String topic = bench.target.topic;
        int warmupAt = warmupRate != null ? warmupRate : rate;
        total = warmup + records;
        sync = pacing.equals("sync");
        latencyLog = latencyLogFile == null ? null : new StringBuilder();
        Promise<Void> assigned = Promise.promise();
        ContextInternal loop = bench.loop(0);
        WebSocket consumer = bench.await(bench.connect(0, "/ws/consume?topics=" + topic + "&from=latest&credit="
                + (total + 1000), ws -> Messages.onMessage(ws, frame -> onConsumed(frame, assigned))));
        bench.await(assigned.future());
        if (via.equals("ws")) {
            producerSocket = bench.await(bench.connect(0, "/ws/produce?topic=" + topic + "&acks=" + acks,
                    ws -> Messages.onMessage(ws, this::onWsAnswer)));
        } else {
            post = bench.target.identified(new RequestOptions().setMethod(HttpMethod.POST)
                    .setURI("/topics/" + topic + "/records?acks=" + acks)
                    .putHeader("content-type", "application/json").setIdleTimeout(30_000));
        }
        double achieved;
        Progress progress = new Progress(bench.workload, List.of(sent, received));
        try {
            if (warmup > 0) {
                bench.await(run(loop, 0, warmup, warmupAt, sync));
                bench.await(Future.any(warmedUp.future(), bench.vertx.timer(30_000)));
            }
            achieved = bench.await(run(loop, warmup, total, rate, sync));
            bench.await(Future.all(allAcked.future(), Future.any(allReceived.future(), bench.vertx.timer(30_000))));
        } finally {
            progress.stop();
        }
        consumer.close();
        if (latencyLog != null) {
            Files.writeString(Path.of(latencyLogFile), latencyLog);
        }
        r.put("via", via);
        r.put("pacing", pacing);
        r.put("max_in_flight", maxInFlight);
        r.put("rate_target", rate);
        r.put("rate_achieved", achieved, 1);
        r.put("warmup", warmup);
        r.put("warmup_rate", warmupAt);
        delivery.report(r, "latency.");
        ack.report(r, "ack.");
        r.meter("produce.", sent);
        r.meter("consume.", received);
        if (received.records() != total || seen.cardinality() != total) {
            r.fail("received " + received.records() + " records (" + seen.cardinality() + " distinct) of " + total);
        }
    }

    /**
     * Starts a schedule of records {@code from} to {@code to} (exclusive) at {@code rate}/s on
     * {@code loop}, each send also waiting for the previous acknowledgement if {@code paced}.
     */
    private Future<Double> run(ContextInternal loop, int from, int to, int rate, boolean paced) {
        Promise<Double> done = loop.promise();
        loop.runOnContext(v -> {
            schedule = new Schedule(loop.nettyEventLoop(), from, to, rate, paced, done);
            schedule.tick();
        });
        return done.future();
    }

    /**
     * Sends records {@code from} to {@code to} (exclusive) at {@code rate}/s, each at its due time
     * on a schedule that starts when it is made, and completes {@code done} with the rate achieved.
     * Runs on its event loop only: {@link #tick} sends whatever is due and arms the loop's timer for
     * the next one; under sync pacing it stops at an unacknowledged record and {@link #acked}
     * resumes it.
     */
    private final class Schedule {
        private final EventExecutor loop;
        private final int from;
        private final int to;
        private final long intervalNanos;
        private final long start = System.nanoTime();
        private final boolean paced;
        private final Promise<Double> done;
        private int next;
        /** Stopped at an unacknowledged record (sync pacing), waiting for {@link #acked}. */
        private boolean waitingForAck;

        Schedule(EventExecutor loop, int from, int to, int rate, boolean paced, Promise<Double> done) {
            this.loop = loop;
            this.paced = paced;
            this.from = from;
            this.to = to;
            this.next = from;
            this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
            this.done = done;
        }

        void tick() {
            while (next < to) {
                if (paced && inFlight > 0) {
                    waitingForAck = true;
                    return;
                }
                long wait = start + (next - from) * intervalNanos - System.nanoTime();
                if (wait > 0) {
                    loop.schedule(this::tick, wait, TimeUnit.NANOSECONDS);
                    return;
                }
                send(next++);
            }
            done.tryComplete((to - from) / ((System.nanoTime() - start) / 1e9));
        }

        void acked() {
            if (waitingForAck) {
                waitingForAck = false;
                tick();
            }
        }
    }

    private void send(int seq) {
        long now = System.nanoTime();
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        String value = Payloads.stampedValue(recordSize, seq, now);
        String record = keys != null ? Payloads.record(seq % keys, value) : Payloads.record(value);
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
        inFlight--;
        if (error != null) {
            sent.error(error);
        } else {
            if (seq >= warmup) {
                ack.record(System.nanoTime() - sentNanos);
            }
            sent.add(1);
        }
        if (++answered == total) {
            allAcked.complete();
        }
        warmUpProgress();
        schedule.acked();
    }

    /**
     * Completes {@link #warmedUp} once every warm-up record is answered and delivered, so that a
     * queue built while this JVM and the server were still compiling does not leak into the
     * measured part.
     */
    private void warmUpProgress() {
        if (sent.records() + sent.errors() >= warmup && received.records() >= warmup) {
            warmedUp.tryComplete();
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
            if (seq >= warmup) {
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
        warmUpProgress();
    }
}

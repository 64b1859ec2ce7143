package io.sluice.tools.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code produce-ws}: {@code --connections} sockets on {@code /ws/produce}, each keeping up to
 * {@code --inflight} frames of {@code --batch} records unanswered. Frames carry a running
 * {@code context} number; answers must come back in order, and a frame's records count once
 * its answer holds offsets (the first answer is parsed whole and must hold one per record).
 * A warm-up phase on other sockets ({@code --warmup-s}) comes first and is not counted.
 */
@Command(name = "produce-ws",
        description = "/ws/produce frames of --batch records, --inflight frames pipelined per socket, --connections sockets.")
final class ProduceWs extends WorkloadCommand {
    private static final byte[] CONTEXT = Messages.ascii("{\"context\":");
    private static final byte[] OFFSETS = Messages.ascii(",\"offsets\":[");

    @Mixin
    Producing load = new Producing(1_000_000, 1);

    @Mixin
    Batching batching;

    private final AtomicBoolean checked = new AtomicBoolean();

    @Override
    void validate() {
        super.validate();
        load.validate(spec);
        batching.validate(spec);
    }

    @Override
    Bench.Clients clients() {
        return load.clients();
    }

    @Override
    void run(Bench bench, Results r) throws Exception {
        if (load.warmupSeconds > 0) {
            Meter warm = new Meter("warm-up");
            new Phase(bench, warm, Long.MAX_VALUE / 2, System.nanoTime() + load.warmupSeconds * 1_000_000_000L).run();
            if (warm.errors() > 0) {
                throw new IllegalStateException("warm-up failed: " + warm.firstError());
            }
        }
        Meter acked = new Meter("acked");
        Phase phase = new Phase(bench, acked, load.records, Long.MAX_VALUE);
        long start = phase.run();
        r.rate("", acked.records(), load.recordSize, acked.lastNanos() - start);
        r.meter("", acked);
        r.put("frames", phase.frames);
        if (acked.records() != load.records) {
            r.fail(acked.records() + " of " + load.records + " records acknowledged");
        }
    }

    /** A number of records sent over fresh sockets, frames claimed from a shared counter. */
    private final class Phase {
        final Bench bench;
        final Meter acked;
        final long frames;
        final int perFrame;
        final int lastCount;
        final byte[] prefix;
        final byte[] lastPrefix;
        final long stopAtNanos;
        final AtomicLong claimed = new AtomicLong();

        Phase(Bench bench, Meter acked, long records, long stopAtNanos) {
            this.bench = bench;
            this.acked = acked;
            this.stopAtNanos = stopAtNanos;
            perFrame = (int) Math.min(batching.batch, records);
            frames = (records + perFrame - 1) / perFrame;
            lastCount = (int) (records - (frames - 1) * perFrame);
            prefix = Payloads.wsFramePrefix(perFrame, load.recordSize);
            lastPrefix = lastCount == perFrame ? prefix : Payloads.wsFramePrefix(lastCount, load.recordSize);
        }

        /** Connects, sends every frame, waits for every answer; returns when sending started. */
        long run() throws Exception {
            String uri = "/ws/produce?topic=" + bench.target.topic + "&acks=" + load.acks;
            List<Lane> lanes = new ArrayList<>();
            List<Future<WebSocket>> sockets = new ArrayList<>();
            for (int i = 0; i < load.connections; i++) {
                Context loop = bench.loop(i);
                sockets.add(bench.connect(i, uri, ws -> {
                    synchronized (lanes) {
                        lanes.add(new Lane(this, ws, loop));
                    }
                }));
            }
            bench.await(Future.all(sockets));
            long start = System.nanoTime();
            List<Future<Void>> done = new ArrayList<>();
            Progress progress = new Progress(bench.workload + (stopAtNanos == Long.MAX_VALUE ? "" : " warm-up"),
                    List.of(acked));
            try {
                synchronized (lanes) {
                    for (Lane lane : lanes) {
                        done.add(lane.done.future());
                        lane.loop.runOnContext(v -> lane.fill());
                    }
                }
                bench.await(Future.all(done));
            } finally {
                progress.stop();
            }
            return start;
        }
    }

    /** One socket: its frames in flight, in the order their answers must come. */
    private final class Lane {
        final Phase phase;
        final WebSocket ws;
        final Context loop;
        final Promise<Void> done = Promise.promise();
        /** Context number and record count of each unanswered frame, oldest first. */
        final ArrayDeque<long[]> inFlight = new ArrayDeque<>();

        Lane(Phase phase, WebSocket ws, Context loop) {
            this.phase = phase;
            this.ws = ws;
            this.loop = loop;
            Messages.onMessage(ws, this::onAnswer);
            ws.closeHandler(v -> {
                if (!done.future().isComplete()) {
                    phase.acked.error("socket closed with " + inFlight.size() + " frames unanswered");
                    done.tryComplete();
                }
            });
        }

        void fill() {
            while (inFlight.size() < load.inflight && System.nanoTime() < phase.stopAtNanos) {
                long n = phase.claimed.getAndIncrement();
                if (n >= phase.frames) {
                    break;
                }
                boolean last = n == phase.frames - 1;
                inFlight.add(new long[] {n, last ? phase.lastCount : phase.perFrame});
                Messages.sendText(ws, last ? phase.lastPrefix : phase.prefix, Messages.ascii(n + "}"));
            }
            if (inFlight.isEmpty()) {
                done.tryComplete();
                ws.close();
            }
        }

        void onAnswer(Buffer answer) {
            Meter acked = phase.acked;
            long[] expected = inFlight.poll();
            if (expected == null) {
                acked.error("answer with no frame in flight: " + Messages.head(answer, 200));
                return;
            }
            long context = Messages.startsWith(answer, CONTEXT) ? Messages.numberAt(answer, CONTEXT.length) : -1;
            int after = CONTEXT.length + Long.toString(context).length();
            if (context != expected[0]) {
                acked.error("answer out of order: expected context " + expected[0] + ", got " + Messages.head(answer, 200));
            } else if (!Messages.startsAt(answer, after, OFFSETS)) {
                acked.error(Messages.head(answer, 300));
            } else if (checked.compareAndSet(false, true)
                    && new JsonObject(answer).getJsonArray("offsets").size() != expected[1]) {
                acked.error("first answer does not hold " + expected[1] + " offsets: " + Messages.head(answer, 300));
            } else {
                acked.add(expected[1]);
            }
            fill();
        }
    }
}

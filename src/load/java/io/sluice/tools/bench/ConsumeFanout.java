package io.sluice.tools.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@code consume-fanout}: {@code --consumers} WebSocket consumers of the same topic, each reading
 * it from the earliest offset at once, and the records delivered across all of them per second.
 * The topic must be filled first; every consumer reads until the end of what it holds. They
 * subscribe without credit, one after another, and all get their credit once all are subscribed,
 * so that they start together (the first ones opened would otherwise read the topic alone while
 * the others connect). After {@code --warmup-s} of reading, the count over a window is the figure, with
 * the slowest and fastest consumer's own rate beside it (a fan-out that starves some consumers
 * shows there, not in the total). The window lasts {@code --duration-s}, or closes when the first
 * consumer reaches the end of the topic: after that, fewer consumers read and the rate would
 * measure the topic's length, not the node ({@link FanoutWindow} has the figures).
 */
@Command(name = "consume-fanout",
        description = "--consumers WebSocket consumers of --topic (filled first) reading it from earliest at once; "
                + "records/s delivered across all of them over --duration-s, or until the first reaches the end of the topic.")
final class ConsumeFanout extends WorkloadCommand {
    @Option(names = "--consumers", paramLabel = "N", description = "Consumer sockets (default: ${DEFAULT-VALUE}).")
    int consumers = 1000;

    @Option(names = "--duration-s", paramLabel = "D",
            description = "The measured window, s, unless a consumer reaches the end of the topic sooner (default: ${DEFAULT-VALUE}).")
    long durationSeconds = 10;

    @Option(names = "--warmup-s", paramLabel = "S",
            description = "Seconds of reading after all are subscribed, before the window, not counted (default: ${DEFAULT-VALUE}).")
    long warmupSeconds = 5;

    @Option(names = "--record-size", paramLabel = "S",
            description = "Stored value bytes of the records, checked on the first consumer's first frame (default: ${DEFAULT-VALUE}).")
    int recordSize = 100;

    // The node's default frame (64 KiB), as clients that do not ask get. With 1 MiB frames, a thousand
    // consumers sharing about a million records/s each get a frame every few seconds, and the
    // slowest consumer's rate over the window says more about that granularity than about fairness.
    @Mixin
    Consuming consuming = new Consuming(64 << 10);

    @Override
    void validate() {
        super.validate();
        Checks.atLeast(spec, "--consumers", consumers, 1);
        Checks.atLeast(spec, "--duration-s", durationSeconds, 1);
        Checks.atLeast(spec, "--warmup-s", warmupSeconds, 0);
        Checks.atLeast(spec, "--record-size", recordSize, 2);
        consuming.validate(spec);
    }

    @Override
    Bench.Clients clients() {
        return new Bench.Clients(1, 1, consumers);
    }

    @Override
    void run(Bench bench, Results r) throws Exception {
        long available = readable(bench.describeTopic());
        if (available == 0) {
            throw new IllegalStateException("topic " + bench.target.topic + " is empty: fill it first (e.g. produce-ws)");
        }
        Meter delivered = new Meter("delivered");
        List<WsConsumer> all = new ArrayList<>(consumers);
        for (int i = 0; i < consumers; i++) {
            all.add(new WsConsumer(bench, consuming, recordSize, available, delivered, i == 0));
        }
        FanoutWindow window = new FanoutWindow(all.stream().<LongSupplier>map(c -> c::received).toList(), available);
        Future<?> endOfTopic = Future.any(all.stream().map(WsConsumer::done).toList());
        boolean endedEarly;
        Progress progress = new Progress(bench.workload, List.of(delivered));
        try {
            bench.await(Staggered.open(bench, consumers, i -> all.get(i).startHeld(i, "earliest"), delivered));
            all.forEach(WsConsumer::release);
            if (warmupSeconds > 0) {
                bench.await(bench.vertx.timer(warmupSeconds * 1000));
            }
            window.open();
            bench.await(Future.any(bench.vertx.timer(durationSeconds * 1000), endOfTopic));
            window.close();
            endedEarly = endOfTopic.isComplete();
        } finally {
            progress.stop();
        }
        List<Future<Void>> stopped = new ArrayList<>(consumers);
        all.forEach(c -> stopped.add(c.stop()));
        bench.await(Future.all(stopped));
        r.put("consumers", consumers);
        r.put("topic_records", available);
        r.put("window_closed_by", endedEarly ? "end_of_topic" : "duration");
        window.report(r, recordSize);
        r.meter("total.", delivered);
    }

    /** Records a consumer from the earliest offset can read: the partitions' high watermarks less their starts. */
    private static long readable(JsonObject topic) {
        long n = 0;
        for (Object o : topic.getJsonArray("partitions")) {
            JsonObject p = (JsonObject) o;
            n += p.getLong("high_watermark") - p.getLong("log_start_offset");
        }
        return n;
    }
}

package io.sluice.tools.bench;

import io.vertx.core.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code consume-idle}: {@code --connections} consumer sockets that receive nothing, each
 * subscribed to one partition of {@code --topic} (in turn) from its end. Opens them a window at a
 * time ({@link Staggered}), reports on stderr when all are subscribed, holds them for
 * {@code --hold-s} (what a script measures the node's memory in), then closes them. Fails if a
 * socket did not open, received anything, or was closed by the node.
 */
@Command(name = "consume-idle",
        description = "--connections idle WebSocket consumers, one partition of --topic each, held open for --hold-s. "
                + "Prints 'all N consumers subscribed' on stderr once they are.")
final class ConsumeIdle extends WorkloadCommand {
    @Option(names = "--connections", paramLabel = "N", description = "Consumer sockets (default: ${DEFAULT-VALUE}).")
    int connections = 10_000;

    @Option(names = "--hold-s", paramLabel = "S",
            description = "Seconds to hold them open once all are subscribed (default: ${DEFAULT-VALUE}).")
    long holdSeconds = 60;

    @Override
    void validate() {
        super.validate();
        Checks.atLeast(spec, "--connections", connections, 1);
        Checks.atLeast(spec, "--hold-s", holdSeconds, 0);
    }

    @Override
    Bench.Clients clients() {
        return new Bench.Clients(1, 1, connections);
    }

    @Override
    void run(Bench bench, Results r) throws Exception {
        int partitions = bench.describeTopic().getJsonArray("partitions").size();
        Meter subscribed = new Meter("subscribed");
        List<IdleConsumer> consumers = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            consumers.add(new IdleConsumer(bench, subscribed));
        }
        long start = System.nanoTime();
        Progress progress = new Progress(bench.workload, List.of(subscribed));
        try {
            bench.await(Staggered.open(bench, connections, i -> consumers.get(i).open(i, i % partitions), subscribed));
        } finally {
            progress.stop();
        }
        long took = System.nanoTime() - start;
        r.put("connections", connections);
        r.put("partitions", partitions);
        r.put("subscribe_seconds", took / 1e9, 3);
        r.put("subscribed_per_s", subscribed.records() / (took / 1e9), 0);
        if (subscribed.records() == connections && subscribed.errors() == 0) {
            System.err.printf(Locale.ROOT, "%s: all %d consumers subscribed in %.1f s; holding them for %d s%n",
                    bench.workload, connections, took / 1e9, holdSeconds);
            if (holdSeconds > 0) {
                bench.await(bench.vertx.timer(holdSeconds * 1000));
            }
            r.put("held_seconds", holdSeconds);
        }
        List<Future<Void>> closed = new ArrayList<>(connections);
        consumers.forEach(c -> closed.add(c.close()));
        bench.await(Future.all(closed));
        r.put("subscribed", subscribed.records());
        r.put("errors", subscribed.errors());
        if (subscribed.records() != connections) {
            r.fail(subscribed.records() + " of " + connections + " consumers subscribed");
        }
        if (subscribed.errors() > 0) {
            r.fail(subscribed.errors() + " errors, first: " + subscribed.firstError());
        }
    }
}

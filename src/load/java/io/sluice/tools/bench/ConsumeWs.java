package io.sluice.tools.bench;

import io.vertx.core.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * {@code consume-ws}: one socket reads {@code --records} records from the earliest offset as
 * fast as the server sends them. The rate is measured from the first frame to the last record
 * (records of the first frame excluded, as they arrived at the start of the interval), and
 * again from the connect. Warm-up reads of the same topic ({@code --warmup-s}) come first.
 */
@Command(name = "consume-ws", description = "/ws/consume from earliest, --records records, as fast as credit allows.")
final class ConsumeWs extends WorkloadCommand {
    @Option(names = "--records", paramLabel = "N", description = "Records to read (default: ${DEFAULT-VALUE}).")
    long records = 1_000_000;

    @Option(names = "--record-size", paramLabel = "S",
            description = "Stored value bytes of the records, checked on the first frame (default: ${DEFAULT-VALUE}).")
    int recordSize = 100;

    @Option(names = "--warmup-s", paramLabel = "S",
            description = "Seconds of reading the topic again and again before measuring, not counted (default: ${DEFAULT-VALUE}).")
    long warmupSeconds = 3;

    @Mixin
    Consuming consuming;

    @Override
    void validate() {
        super.validate();
        Checks.atLeast(spec, "--records", records, 1);
        Checks.atLeast(spec, "--record-size", recordSize, 2);
        Checks.atLeast(spec, "--warmup-s", warmupSeconds, 0);
        consuming.validate(spec);
    }

    @Override
    void run(Bench bench, Results r) throws Exception {
        r.put("warmup_records", warmUp(bench));
        WsConsumer consumer = new WsConsumer(bench, consuming, recordSize, records, new Meter("consumed"), true);
        Progress progress = new Progress(bench.workload, List.of(consumer.meter));
        try {
            bench.await(consumer.start(0, "earliest"));
            bench.await(consumer.done());
        } finally {
            progress.stop();
        }
        Meter m = consumer.meter;
        long n = m.records();
        r.rate("", n - consumer.firstFrameRecords(), recordSize, m.lastNanos() - consumer.firstFrameNanos());
        r.put("wire_MiB_per_s", consumer.wireBytes() / Results.MIB / ((m.lastNanos() - consumer.firstFrameNanos()) / 1e9), 2);
        r.rate("incl_connect.", n, recordSize, m.lastNanos() - consumer.connectNanos());
        r.put("wire_bytes_per_record", consumer.wireBytes() / (double) Math.max(1, n), 1);
        r.meter("", m);
        if (n < records) {
            r.fail("read " + n + " of " + records + " records");
        }
    }

    /**
     * Reads the topic from the start, again and again on new sockets, for {@code --warmup-s}
     * seconds, not counted: one pass over a million records takes about a second, too little for
     * the JIT compilers of the tool and the node to finish the consume path.
     *
     * @return the records read, over all passes
     */
    private long warmUp(Bench bench) throws Exception {
        if (warmupSeconds == 0) {
            return 0;
        }
        long end = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        Meter total = new Meter("warm-up");
        Progress progress = new Progress(bench.workload + " warm-up", List.of(total));
        try {
            for (long left; (left = end - System.nanoTime()) > 0; ) {
                WsConsumer warm = new WsConsumer(bench, consuming, recordSize, records, new Meter("warm-up"), true);
                bench.await(warm.start(0, "earliest"));
                bench.await(Future.any(warm.done(), bench.vertx.timer(Math.max(1, left / 1_000_000))));
                bench.await(warm.stop());
                total.add(warm.meter.records());
                if (warm.meter.errors() > 0) {
                    throw new IllegalStateException("warm-up failed: " + warm.meter.firstError());
                }
            }
        } finally {
            progress.stop();
        }
        return total.records();
    }
}

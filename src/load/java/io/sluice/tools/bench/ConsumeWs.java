package io.sluice.tools.bench;

import io.vertx.core.Future;

import java.util.List;

/**
 * {@code consume-ws}: one socket reads {@code --records} records from the earliest offset as
 * fast as the server sends them. The rate is measured from the first frame to the last record
 * (records of the first frame excluded, as they arrived at the start of the interval), and
 * again from the connect. Warm-up reads of the same topic ({@code --warmup-s}) come first.
 */
final class ConsumeWs implements Workload {
    @Override
    public void run(Bench bench, Results r) throws Exception {
        Options opt = bench.opt;
        r.put("warmup_records", warmUp(bench));
        WsConsumer consumer = new WsConsumer(bench, opt.records, "consumed");
        Progress progress = new Progress(opt.workload, List.of(consumer.meter));
        try {
            bench.await(consumer.start(0, "earliest"));
            bench.await(consumer.done());
        } finally {
            progress.stop();
        }
        Meter m = consumer.meter;
        long n = m.records();
        r.rate("", n - consumer.firstFrameRecords(), opt.recordSize, m.lastNanos() - consumer.firstFrameNanos());
        r.put("wire_MiB_per_s", consumer.wireBytes() / Results.MIB / ((m.lastNanos() - consumer.firstFrameNanos()) / 1e9), 2);
        r.rate("incl_connect.", n, opt.recordSize, m.lastNanos() - consumer.connectNanos());
        r.put("wire_bytes_per_record", consumer.wireBytes() / (double) Math.max(1, n), 1);
        r.meter("", m);
        if (n < opt.records) {
            r.fail("read " + n + " of " + opt.records + " records");
        }
    }

    /**
     * Reads the topic from the start, again and again on new sockets, for {@code --warmup-s}
     * seconds, not counted: one pass over a million records takes about a second, too little for
     * the JIT compilers of the tool and the node to finish the consume path.
     *
     * @return the records read, over all passes
     */
    private static long warmUp(Bench bench) throws Exception {
        if (bench.opt.warmupSeconds == 0) {
            return 0;
        }
        long end = System.nanoTime() + bench.opt.warmupSeconds * 1_000_000_000L;
        Meter total = new Meter("warm-up");
        Progress progress = new Progress(bench.opt.workload + " warm-up", List.of(total));
        try {
            for (long left; (left = end - System.nanoTime()) > 0; ) {
                WsConsumer warm = new WsConsumer(bench, bench.opt.records, "warm-up");
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

package io.sluice.tools.bench;

import io.vertx.core.Future;

import java.util.List;

/**
 * {@code consume-ws}: one socket reads {@code --records} records from the earliest offset as
 * fast as the server sends them. The rate is measured from the first frame to the last record
 * (records of the first frame excluded, as they arrived at the start of the interval), and
 * again from the connect. A warm-up read of the same topic ({@code --warmup-s}) comes first.
 */
final class ConsumeWs implements Workload {
    @Override
    public void run(Bench bench, Results r) throws Exception {
        Options opt = bench.opt;
        warmUp(bench);
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

    /** Reads the topic from the start for {@code --warmup-s} seconds, not counted, and closes. */
    private static void warmUp(Bench bench) throws Exception {
        if (bench.opt.warmupSeconds == 0) {
            return;
        }
        WsConsumer warm = new WsConsumer(bench, bench.opt.records, "warm-up");
        Progress progress = new Progress(bench.opt.workload + " warm-up", List.of(warm.meter));
        try {
            bench.await(warm.start(0, "earliest"));
            bench.await(Future.any(warm.done(), bench.vertx.timer(bench.opt.warmupSeconds * 1000)));
            bench.await(warm.stop());
        } finally {
            progress.stop();
        }
        if (warm.meter.errors() > 0) {
            throw new IllegalStateException("warm-up failed: " + warm.meter.firstError());
        }
    }
}

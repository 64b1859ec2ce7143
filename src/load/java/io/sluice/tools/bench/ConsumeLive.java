package io.sluice.tools.bench;

import io.vertx.core.Future;

import java.util.List;

/**
 * {@code consume-live}: a consumer at {@code from=latest} on one event loop while a
 * produce-batch producer runs on both: reports both rates, and that the consumer received
 * every produced record, in order, within 30 s of the last acknowledgement.
 */
final class ConsumeLive implements Workload {
    @Override
    public void run(Bench bench, Results r) throws Exception {
        Options opt = bench.opt;
        HttpProducer.warmUp(bench, "application/json", n -> Payloads.batchBody(n, opt.recordSize));
        WsConsumer consumer = new WsConsumer(bench, opt.records, "consumed");
        Meter acked = new Meter("acked");
        HttpProducer producer = new HttpProducer(bench, acked, "application/json", n -> Payloads.batchBody(n, opt.recordSize));
        Progress progress = new Progress(opt.workload, List.of(acked, consumer.meter));
        try {
            bench.await(consumer.start(1, "latest"));
            bench.await(producer.start());
            bench.await(Future.any(consumer.done(), bench.vertx.timer(30_000)));
        } finally {
            progress.stop();
        }
        HttpProducer.report(bench, r, producer, acked, "produce.");
        Meter m = consumer.meter;
        r.rate("consume.", m.records(), opt.recordSize, m.lastNanos() - producer.startNanos());
        r.meter("consume.", m);
        r.put("consume.delivered_all", m.records() == acked.records() ? "true" : "false");
        if (m.records() != acked.records()) {
            r.fail("consumer received " + m.records() + " of " + acked.records() + " produced records");
        }
    }
}

package io.sluice.tools.bench;

import io.vertx.core.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;

/**
 * {@code consume-live}: a consumer at {@code from=latest} on one event loop while a
 * produce-batch producer runs on both: reports both rates, and that the consumer received
 * every produced record, in order, within 30 s of the last acknowledgement.
 */
@Command(name = "consume-live",
        description = "A consumer at 'latest' while produce-batch runs in this tool: both rates, and that every record arrived.")
final class ConsumeLive extends WorkloadCommand {
    @Mixin
    Producing load = new Producing();

    @Mixin
    Batching batching;

    @Mixin
    Consuming consuming;

    @Override
    void validate() {
        super.validate();
        load.validate(spec);
        batching.validate(spec);
        consuming.validate(spec);
    }

    @Override
    Bench.Clients clients() {
        return load.clients();
    }

    @Override
    void run(Bench bench, Results r) throws Exception {
        HttpProducer.Bodies bodies = new HttpProducer.Bodies("application/json", batching.batch,
                n -> Payloads.batchBody(n, load.recordSize));
        HttpProducer.warmUp(bench, load, bodies);
        WsConsumer consumer = new WsConsumer(bench, consuming, load.recordSize, load.records, new Meter("consumed"), true);
        Meter acked = new Meter("acked");
        HttpProducer producer = new HttpProducer(bench, load, bodies, acked);
        Progress progress = new Progress(bench.workload, List.of(acked, consumer.meter));
        try {
            bench.await(consumer.start(1, "latest"));
            bench.await(producer.start());
            bench.await(Future.any(consumer.done(), bench.vertx.timer(30_000)));
        } finally {
            progress.stop();
        }
        producer.report(r, "produce.");
        Meter m = consumer.meter;
        r.rate("consume.", m.records(), load.recordSize, m.lastNanos() - producer.startNanos());
        r.meter("consume.", m);
        r.put("consume.delivered_all", m.records() == acked.records() ? "true" : "false");
        if (m.records() != acked.records()) {
            r.fail("consumer received " + m.records() + " of " + acked.records() + " produced records");
        }
    }
}

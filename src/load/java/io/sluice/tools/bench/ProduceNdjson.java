package io.sluice.tools.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code produce-ndjson}: {@code application/x-ndjson} bodies of {@code --batch} lines per POST. */
@Command(name = "produce-ndjson", description = "POST /topics/{t}/records, application/x-ndjson, --batch lines per body.")
final class ProduceNdjson extends WorkloadCommand {
    @Mixin
    Producing load = new Producing();

    @Mixin
    Batching batching;

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
    void run(Bench bench, Results results) throws Exception {
        int size = load.recordSize;
        HttpProducer.run(bench, load, new HttpProducer.Bodies("application/x-ndjson", batching.batch,
                n -> Payloads.ndjsonBody(n, size)), results);
    }
}

package io.sluice.tools.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code produce-batch}: JSON batches ({@code {"records":[...]}}) of {@code --batch} records per
 * POST, keyed over {@code --keys} keys when given.
 */
@Command(name = "produce-batch", description = "POST /topics/{t}/records, JSON batches of --batch records.")
final class ProduceBatch extends WorkloadCommand {
    @Mixin
    Producing load = new Producing();

    @Mixin
    Batching batching;

    @Option(names = "--keys", paramLabel = "K",
            description = "Records carry keys k0..k{K-1} in turn (default: no key); over a small key space, "
                    + "a compacted topic's cleaner always has work.")
    Integer keys;

    @Override
    void validate() {
        super.validate();
        load.validate(spec);
        batching.validate(spec);
        if (keys != null) {
            Checks.atLeast(spec, "--keys", keys, 1);
        }
    }

    @Override
    Bench.Clients clients() {
        return load.clients();
    }

    @Override
    void run(Bench bench, Results results) throws Exception {
        int size = load.recordSize;
        HttpProducer.run(bench, load, new HttpProducer.Bodies("application/json", batching.batch,
                n -> keys != null ? Payloads.keyedBatchBody(n, size, keys) : Payloads.batchBody(n, size)), results);
    }
}

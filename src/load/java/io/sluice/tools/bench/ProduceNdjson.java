package io.sluice.tools.bench;

/** {@code produce-ndjson}: {@code application/x-ndjson} bodies of {@code --batch} lines per POST. */
final class ProduceNdjson implements Workload {
    @Override
    public void run(Bench bench, Results results) throws Exception {
        int size = bench.opt.recordSize;
        HttpProducer.run(bench, results, "application/x-ndjson", n -> Payloads.ndjsonBody(n, size));
    }
}

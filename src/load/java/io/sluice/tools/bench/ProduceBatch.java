package io.sluice.tools.bench;

/**
 * {@code produce-batch}: JSON batches ({@code {"records":[...]}}) of {@code --batch} records per
 * POST, keyed over {@code --keys} keys when given.
 */
final class ProduceBatch implements Workload {
    @Override
    public void run(Bench bench, Results results) throws Exception {
        int size = bench.opt.recordSize;
        int keys = bench.opt.keys;
        HttpProducer.run(bench, results, "application/json",
                n -> keys > 0 ? Payloads.keyedBatchBody(n, size, keys) : Payloads.batchBody(n, size));
    }
}

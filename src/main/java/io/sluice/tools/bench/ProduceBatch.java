package io.sluice.tools.bench;

/** {@code produce-batch}: JSON batches ({@code {"records":[...]}}) of {@code --batch} records per POST. */
final class ProduceBatch implements Workload {
    @Override
    public void run(Bench bench, Results results) throws Exception {
        int size = bench.opt.recordSize;
        HttpProducer.run(bench, results, "application/json", n -> Payloads.batchBody(n, size));
    }
}

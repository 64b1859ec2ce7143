package io.sluice.tools.bench;

/**
 * {@code produce-single}: one record per POST over keep-alive connections, one request in
 * flight per connection: the per-request cost of the HTTP path. Pointed at
 * {@link CeilingServer} it measures the ceiling the same way; with {@code --versus} it measures
 * both in turns ({@link SingleDuel}).
 */
final class ProduceSingle implements Workload {
    @Override
    public void run(Bench bench, Results results) throws Exception {
        if (bench.opt.batch != 1) {
            throw new IllegalArgumentException("produce-single sends one record per request; leave --batch out");
        }
        int size = bench.opt.recordSize;
        if (bench.opt.versus != null) {
            SingleDuel.run(bench, results, "application/json", n -> Payloads.batchBody(n, size));
            return;
        }
        HttpProducer.run(bench, results, "application/json", n -> Payloads.batchBody(n, size));
    }
}

package io.sluice.tools.bench;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The load tool's entry point: {@code java -jar sluice-load.jar <workload> [flags]}
 * ({@code --help} lists them). Picks the workload, runs it against a running node over the
 * public API, prints the {@code RESULT} lines, and exits 1 if the run had errors or missed its
 * deadline (2 for a bad command line).
 */
public final class LoadTool {
    private static final Map<String, Supplier<Workload>> WORKLOADS = Map.of(
            "produce-batch", ProduceBatch::new,
            "produce-ndjson", ProduceNdjson::new,
            "produce-single", ProduceSingle::new,
            "produce-ws", ProduceWs::new,
            "consume-ws", ConsumeWs::new,
            "consume-live", ConsumeLive::new,
            "e2e", EndToEnd::new);

    private LoadTool() {
    }

    public static void main(String[] args) {
        Options opt;
        try {
            opt = Options.parse(args);
        } catch (Options.UsageException e) {
            (e.help ? System.out : System.err).println(e.getMessage());
            System.exit(e.help ? 0 : 2);
            return;
        }
        Results results = new Results(opt.workload);
        try (Bench bench = new Bench(opt)) {
            if (opt.createTopic) {
                bench.createTopic();
            }
            WORKLOADS.get(opt.workload).get().run(bench, results);
        } catch (Exception e) {
            results.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        results.print();
        System.exit(results.failed() ? 1 : 0);
    }
}

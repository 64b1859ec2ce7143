package io.sluice.tools.bench;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * A workload as a subcommand: owns the run's frame. It checks the options picocli cannot (ranges,
 * choices), opens a {@link Bench} against {@code --url}, creates {@code --topic} if asked, runs the
 * load, prints the {@code RESULT} lines, and answers the exit code. Subclasses add their options
 * and the load itself.
 */
abstract class WorkloadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Target target;

    @Mixin
    NewTopic newTopic;

    /** Runs the load against {@code bench}'s node and puts its figures in {@code results}. */
    abstract void run(Bench bench, Results results) throws Exception;

    /**
     * Checks option values; throws picocli's {@code ParameterException}, a usage error. Overrides
     * check their own options and call this.
     */
    void validate() {
        target.validate(spec);
        newTopic.validate(spec);
    }

    /** The clients the run needs; one of each unless the workload says otherwise. */
    Bench.Clients clients() {
        return new Bench.Clients(1, 1, 1);
    }

    /** Checks the options and runs the workload; a failure is in the results, not thrown. */
    final Results execute() {
        validate();
        Results results = new Results(spec.name());
        try (Bench bench = new Bench(spec.name(), target, clients())) {
            if (newTopic.create) {
                bench.createTopic(newTopic);
            }
            run(bench, results);
        } catch (Exception e) {
            results.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return results;
    }

    @Override
    public final Integer call() {
        Results results = execute();
        results.print();
        return results.failed() ? 1 : 0;
    }
}

package io.sluice.tools.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;

/**
 * {@code produce-single}: one record per POST over keep-alive connections, one request in
 * flight per connection: the per-request cost of the HTTP path. Pointed at
 * {@link CeilingServer} it measures the ceiling the same way; with {@code --versus} it measures
 * both in turns ({@link SingleDuel}).
 */
@Command(name = "produce-single",
        description = "One record per POST (keep-alive; also works against the ceiling server), or with --versus "
                + "the node and a second server in turns.")
final class ProduceSingle extends WorkloadCommand {
    @Mixin
    Producing load = new Producing(200_000, 32);

    @Option(names = "--versus", paramLabel = "URL",
            description = "A second server (e.g. the ceiling server) driven by this same tool in turn with --url: the "
                    + "warm-up and the measured part alternate between the two in --slices slices, so that both see "
                    + "the same tool JVM and the same phases of the machine.")
    URI versus;

    @Option(names = "--slices", paramLabel = "K",
            description = "With --versus: measured slices per server, --records/K requests each (default: ${DEFAULT-VALUE}).")
    int slices = 10;

    @Override
    void validate() {
        super.validate();
        load.validate(spec);
        Checks.atLeast(spec, "--slices", slices, 1);
        if (versus != null) {
            Checks.hostAndPort(spec, "--versus", versus);
            Checks.atLeast(spec, "--records", load.records, slices);
        }
    }

    @Override
    Bench.Clients clients() {
        return load.clients();
    }

    @Override
    void run(Bench bench, Results results) throws Exception {
        int size = load.recordSize;
        HttpProducer.Bodies bodies = new HttpProducer.Bodies("application/json", 1, n -> Payloads.batchBody(n, size));
        if (versus != null) {
            SingleDuel.run(bench, load, bodies, versus, slices, results);
            return;
        }
        HttpProducer.run(bench, load, bodies, results);
    }
}

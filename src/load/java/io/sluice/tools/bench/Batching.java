package io.sluice.tools.bench;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The option of the workloads that send several records per request or frame. */
final class Batching {
    @Option(names = "--batch", paramLabel = "B", description = "Records per request or frame (default: ${DEFAULT-VALUE}).")
    int batch = 1000;

    void validate(CommandSpec spec) {
        Checks.atLeast(spec, "--batch", batch, 1);
    }
}

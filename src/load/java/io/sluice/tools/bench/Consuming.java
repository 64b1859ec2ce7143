package io.sluice.tools.bench;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Options of the WebSocket consumers: their credit and their largest frame. A workload whose
 * default frame differs makes its own instance with it.
 */
final class Consuming {
    @Option(names = "--credit", paramLabel = "K",
            description = "Initial consumer credit, records; replenished as records arrive (default: ${DEFAULT-VALUE}).")
    long credit = 20_000;

    @Option(names = "--max-frame-bytes", paramLabel = "M", description = "The consumer's max_frame_bytes (default: ${DEFAULT-VALUE}).")
    int maxFrameBytes;

    Consuming() {
        this(1 << 20);
    }

    Consuming(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    void validate(CommandSpec spec) {
        Checks.atLeast(spec, "--credit", credit, 1);
        Checks.atLeast(spec, "--max-frame-bytes", maxFrameBytes, 1024);
    }
}

package io.sluice.tools.bench;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.net.URI;

/** Options of every workload: the node it drives, the topic, and the run's deadline. */
final class Target {
    @Option(names = "--url", paramLabel = "URL", description = "The node's HTTP address (default: ${DEFAULT-VALUE}).")
    URI url = URI.create("http://127.0.0.1:8080");

    @Option(names = "--topic", paramLabel = "T", description = "The topic (default: ${DEFAULT-VALUE}).")
    String topic = "bench";

    @Option(names = "--timeout-s", paramLabel = "T", description = "Deadline for the whole workload, s (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds = 600;

    void validate(CommandSpec spec) {
        Checks.hostAndPort(spec, "--url", url);
        Checks.atLeast(spec, "--timeout-s", timeoutSeconds, 1);
    }

    String host() {
        return url.getHost();
    }

    int port() {
        return url.getPort();
    }
}

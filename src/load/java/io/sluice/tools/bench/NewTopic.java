package io.sluice.tools.bench;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Options of every workload: whether to create {@code --topic} first, and its shape if so. */
final class NewTopic {
    @Option(names = "--create-topic", description = "Create --topic first (an existing topic is fine).")
    boolean create;

    @Option(names = "--partitions", paramLabel = "P", description = "Partitions of a topic made by --create-topic (default: ${DEFAULT-VALUE}).")
    int partitions = 1;

    @Option(names = "--replication-factor", paramLabel = "R",
            description = "Replicas of each partition of a topic made by --create-topic (default: ${DEFAULT-VALUE}).")
    int replicationFactor = 1;

    @Option(names = "--min-insync", paramLabel = "M",
            description = "Its min.insync.replicas (default: the broker's).")
    Integer minInsync;

    @Option(names = "--topic-configs", paramLabel = "NAME=VALUE", split = ",",
            description = "More configs of a topic made by --create-topic, NAME=VALUE,... "
                    + "(e.g. cleanup.policy=compact,segment.bytes=16384).")
    Map<String, String> configs = new LinkedHashMap<>();

    void validate(CommandSpec spec) {
        Checks.atLeast(spec, "--partitions", partitions, 1);
        Checks.atLeast(spec, "--replication-factor", replicationFactor, 1);
        if (minInsync != null) {
            Checks.atLeast(spec, "--min-insync", minInsync, 1);
        }
    }
}

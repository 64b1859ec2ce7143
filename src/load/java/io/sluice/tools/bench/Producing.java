package io.sluice.tools.bench;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Options of the produce workloads (and of consume-live's producer): how many records of what
 * size, over how many connections with how many requests in flight, with which acks, after how
 * long a warm-up. A workload whose defaults differ makes its own instance with them.
 */
final class Producing {
    @Option(names = "--records", paramLabel = "N", description = "Records to produce (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--record-size", paramLabel = "S",
            description = "Stored value bytes, a JSON string, quotes included (default: ${DEFAULT-VALUE}).")
    int recordSize = 100;

    @Option(names = "--connections", paramLabel = "C",
            description = "HTTP keep-alive connections, or produce-ws's sockets (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--inflight", paramLabel = "I",
            description = "Requests (HTTP pipelining) or frames in flight per connection (default: ${DEFAULT-VALUE}).")
    int inflight = 1;

    @Option(names = "--acks", paramLabel = "A", description = "0, 1 or all (default: ${DEFAULT-VALUE}).")
    String acks = "1";

    @Option(names = "--warmup-s", paramLabel = "S",
            description = "Seconds of the same load before measuring, not counted (default: ${DEFAULT-VALUE}).")
    long warmupSeconds = 3;

    Producing() {
        this(1_000_000, 4);
    }

    Producing(long records, int connections) {
        this.records = records;
        this.connections = connections;
    }

    void validate(CommandSpec spec) {
        Checks.atLeast(spec, "--records", records, 1);
        Checks.atLeast(spec, "--record-size", recordSize, 2);
        Checks.atLeast(spec, "--connections", connections, 1);
        Checks.atLeast(spec, "--inflight", inflight, 1);
        Checks.oneOf(spec, "--acks", acks, "0", "1", "all");
        Checks.atLeast(spec, "--warmup-s", warmupSeconds, 0);
    }

    /** The HTTP clients: a keep-alive pool of {@code --connections}, {@code --inflight} pipelined on each. */
    Bench.Clients clients() {
        return new Bench.Clients(connections, inflight, connections);
    }

    /** The produce path of {@code topic}, with the acks query. */
    String producePath(String topic) {
        return "/topics/" + topic + "/records?acks=" + acks;
    }
}

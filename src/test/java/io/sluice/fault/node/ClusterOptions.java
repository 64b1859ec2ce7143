package io.sluice.fault.node;

import java.util.List;

/**
 * What a fault cluster is made of: node count, broker settings ({@code --set}), the quorum flags,
 * whether nodes run under a controllable wall clock, and where data directories come from.
 */
public record ClusterOptions(int nodes, List<String> settings, Voters voters, boolean wallClocks, DataDirProvider dataDirs) {
    /** Settings every fault cluster uses: failure detection as in the existing ITs (cluster.xml: 5 s heartbeat timeout). */
    public static final List<String> DEFAULT_SETTINGS = List.of("replica.lag.time.max.ms=5000");
}

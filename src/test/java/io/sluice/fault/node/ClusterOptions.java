package io.sluice.fault.node;

import java.util.List;

/**
 * What a fault cluster is made of: node count, broker settings ({@code --set}), the quorum flags,
 * whether nodes run under a controllable wall clock, and where data directories come from.
 */
public record ClusterOptions(int nodes, List<String> settings, Voters voters, boolean wallClocks, DataDirProvider dataDirs) {
    /** Settings every fault cluster uses: failure detection as in the existing ITs (cluster.xml: 5 s heartbeat timeout). */
    public static final List<String> DEFAULT_SETTINGS = List.of("replica.lag.time.max.ms=5000");

    /** {@code base} with {@code more} applied ({@code key=value}; a key in {@code more} replaces its value in {@code base}). */
    public static List<String> merge(List<String> base, List<String> more) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (List<String> l : List.of(base, more)) {
            for (String s : l) {
                int eq = s.indexOf('=');
                m.put(eq < 0 ? s : s.substring(0, eq), s);
            }
        }
        return List.copyOf(m.values());
    }
}

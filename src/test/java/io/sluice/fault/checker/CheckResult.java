package io.sluice.fault.checker;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The checker's verdict: a count per {@link Anomaly} with a few examples each, and the workload's
 * figures (attempts, acknowledged, definitely failed and indeterminate writes, records read).
 */
public final class CheckResult {
    static final int EXAMPLES = 5;

    private final Map<Anomaly, Integer> counts = new EnumMap<>(Anomaly.class);
    private final Map<Anomaly, List<String>> examples = new EnumMap<>(Anomaly.class);
    long attempts;
    long acked;
    long failed;
    long indeterminate;
    long reads;

    CheckResult() {
        for (Anomaly a : Anomaly.values()) {
            counts.put(a, 0);
            examples.put(a, new ArrayList<>());
        }
    }

    void add(Anomaly a, String example) {
        counts.merge(a, 1, Integer::sum);
        if (examples.get(a).size() < EXAMPLES) {
            examples.get(a).add(example);
        }
    }

    public int count(Anomaly a) {
        return counts.get(a);
    }

    public boolean valid() {
        return counts.values().stream().allMatch(c -> c == 0);
    }

    public long acked() {
        return acked;
    }

    public long attempts() {
        return attempts;
    }

    public long failed() {
        return failed;
    }

    public long indeterminate() {
        return indeterminate;
    }

    public long reads() {
        return reads;
    }

    /** One line per anomaly with its count, then examples of those that occurred. */
    public String report() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("writes: %d attempts, %d acknowledged, %d definitely failed, %d indeterminate; %d records read%n",
                attempts, acked, failed, indeterminate, reads));
        for (Anomaly a : Anomaly.values()) {
            b.append(String.format("  %-20s %6d  %s%n", a.name().toLowerCase(), counts.get(a), a.description));
        }
        for (Anomaly a : Anomaly.values()) {
            if (!examples.get(a).isEmpty()) {
                b.append("  e.g. ").append(a.name().toLowerCase()).append(":\n");
                examples.get(a).forEach(e -> b.append("    ").append(e).append('\n'));
            }
        }
        b.append(valid() ? "VALID" : "INVALID").append('\n');
        return b.toString();
    }
}

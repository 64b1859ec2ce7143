package io.sluice.fault.scenario;

import io.sluice.fault.checker.Anomaly;
import io.sluice.fault.checker.CheckResult;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished scenario: the checker's verdict, per-step timings, notes (the settling phase, the
 * faults' own findings), violations of a rule a fault checked itself (the unclean-start rule of the
 * power-cut faults), and where its files are.
 */
public record ScenarioResult(String name, boolean voters, CheckResult check, List<StepTiming> steps, List<String> notes,
                             List<String> violations, Path dir) {
    /** Valid: no checker anomaly and no violation. */
    public boolean valid() {
        return check.valid() && violations.isEmpty();
    }

    /** Slowest majority recovery over the steps (-1 if any step never recovered). */
    public long worstMajorityWritesMs() {
        return worst(steps.stream().mapToLong(StepTiming::majorityWritesMs).toArray());
    }

    public long worstHealToIsrMs() {
        return worst(steps.stream().mapToLong(StepTiming::healToIsrMs).toArray());
    }

    private static long worst(long[] values) {
        long w = 0;
        for (long v : values) {
            if (v < 0) {
                return -1;
            }
            w = Math.max(w, v);
        }
        return w;
    }

    public int lost() {
        return check.count(Anomaly.LOST);
    }

    public int inconsistentOffsets() {
        return check.count(Anomaly.INCONSISTENT_OFFSET);
    }

    public int duplicates() {
        return check.count(Anomaly.DUPLICATE);
    }
}

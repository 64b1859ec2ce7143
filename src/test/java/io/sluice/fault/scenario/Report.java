package io.sluice.fault.scenario;

import java.util.List;

/**
 * Text reports of scenario results: one scenario in full (checker counts, steps, notes), and the
 * per-scenario table the issue asks for (acknowledged, lost, inconsistent offsets, duplicates,
 * partition → majority writes, heal → full ISR, with the targets of 10 s and 15 s).
 */
public final class Report {
    public static final long MAJORITY_TARGET_MS = 10_000;
    public static final long ISR_TARGET_MS = 15_000;

    private Report() {
    }

    public static String of(ScenarioResult r) {
        StringBuilder b = new StringBuilder();
        b.append("===== scenario ").append(r.name()).append(" (quorum voters ").append(r.voters() ? "on" : "off")
                .append(") — ").append(r.dir()).append('\n');
        b.append(r.check().report());
        for (StepTiming t : r.steps()) {
            b.append(String.format("  step %-28s majority writes again after %s, heal -> full ISR %s  [%s]%n", t.fault(),
                    ms(t.majorityWritesMs()), ms(t.healToIsrMs()), t.description()));
        }
        r.notes().forEach(n -> b.append("  note: ").append(n).append('\n'));
        r.violations().forEach(v -> b.append("  VIOLATION: ").append(v).append('\n'));
        b.append(table(List.of(r)));
        return b.toString();
    }

    public static String table(List<ScenarioResult> results) {
        StringBuilder b = new StringBuilder();
        String fmt = "| %-28s | %6s | %8s | %5s | %12s | %10s | %16s | %14s | %-7s |%n";
        b.append(String.format(fmt, "scenario", "quorum", "acked", "lost", "inconsistent", "duplicates",
                "majority writes", "heal->full ISR", "verdict"));
        b.append(String.format(fmt, "-".repeat(28), "-".repeat(6), "-".repeat(8), "-".repeat(5), "-".repeat(12), "-".repeat(10),
                "-".repeat(16), "-".repeat(14), "-".repeat(7)));
        for (ScenarioResult r : results) {
            b.append(String.format(fmt, r.name(), r.voters() ? "on" : "off", r.check().acked(), r.lost(), r.inconsistentOffsets(),
                    r.duplicates(), target(r.worstMajorityWritesMs(), MAJORITY_TARGET_MS), target(r.worstHealToIsrMs(), ISR_TARGET_MS),
                    r.valid() ? "valid" : "INVALID"));
        }
        return b.toString();
    }

    private static String ms(long ms) {
        return ms < 0 ? "never" : String.format("%.1f s", ms / 1000.0);
    }

    private static String target(long ms, long target) {
        return ms(ms) + (ms >= 0 && ms < target ? "" : " !");
    }
}

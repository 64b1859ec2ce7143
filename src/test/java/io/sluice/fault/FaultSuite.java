package io.sluice.fault;

import io.sluice.fault.checker.CheckResult;
import io.sluice.fault.net.FaultPreflight;
import io.sluice.fault.node.DataDirProvider;
import io.sluice.fault.node.LossyDataDirs;
import io.sluice.fault.node.PlainDataDirs;
import io.sluice.fault.node.Voters;
import io.sluice.fault.scenario.Report;
import io.sluice.fault.scenario.ScenarioResult;
import io.sluice.fault.scenario.ScenarioRunner;
import io.sluice.fault.scenario.ScenarioSpec;
import io.sluice.testing.NodeProcess;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the fault ITs share: the preflight (skip when not root / no {@code ip netns}), the switches
 * read from system properties, and the verdict.
 *
 * <ul>
 *   <li>{@code sluice.fault.expectSafe} (default true): a run with any anomaly fails; false reports
 *       the anomalies and passes (to measure today's controller).</li>
 *   <li>{@code sluice.fault.enforceTargets} (default false): also fail when a step misses the
 *       recovery targets (majority writes &lt; 10 s, heal → full ISR &lt; 15 s); off by default
 *       because timings on a shared 2-core machine are not a deterministic verdict.</li>
 *   <li>{@code sluice.fault.seed} (default 13): the seed of every random choice of a schedule.</li>
 *   <li>{@code sluice.fault.voters}, {@code sluice.fault.voterCount}: see {@link Voters}.</li>
 * </ul>
 */
final class FaultSuite {
    static final Path OUT = Path.of("target", "fault-runs");

    private FaultSuite() {
    }

    static void preflight() {
        String why = FaultPreflight.whyNot();
        assumeTrue(why == null, why);
        FaultPreflight.requireTools();
    }

    static long seed() {
        return Long.getLong("sluice.fault.seed", 13L);
    }

    static boolean expectSafe() {
        return Boolean.parseBoolean(System.getProperty("sluice.fault.expectSafe", "true"));
    }

    /**
     * Runs a scenario; one with power cuts gets its data directories on lossyfs ({@link LossyDataDirs}:
     * skips when lossyfs is not available, fails with {@code LOSSYFS_REQUIRED=1}).
     */
    static ScenarioResult run(ScenarioSpec spec) throws Exception {
        Voters voters = Voters.fromSystemProperties(NodeProcess.jar(), spec.nodes());
        try (DataDirProvider dataDirs = spec.needsPowerCut() ? LossyDataDirs.create() : new PlainDataDirs()) {
            return new ScenarioRunner(spec, voters, dataDirs, OUT).run();
        }
    }

    /** Fails on any anomaly (unless expectSafe is off), and on missed targets when they are enforced. */
    static void verdict(ScenarioResult r) {
        CheckResult c = r.check();
        assertTrue(c.acked() > 0, "the workload acknowledged nothing: the run proves nothing");
        if (expectSafe()) {
            assertTrue(c.valid(), "anomalies in " + r.name() + ":\n" + c.report() + "history: " + r.dir().resolve("history.jsonl"));
            assertTrue(r.violations().isEmpty(), "violations in " + r.name() + ":\n  " + String.join("\n  ", r.violations())
                    + "\nnode logs: " + r.dir());
        } else if (!r.valid()) {
            System.out.println("[fault] sluice.fault.expectSafe=false: " + r.name() + " is INVALID, reported and not failed");
        }
        if (Boolean.getBoolean("sluice.fault.enforceTargets")) {
            long m = r.worstMajorityWritesMs();
            long i = r.worstHealToIsrMs();
            assertTrue(m >= 0 && m < Report.MAJORITY_TARGET_MS, "majority side took writes again after " + m + " ms");
            assertTrue(i >= 0 && i < Report.ISR_TARGET_MS, "full ISR after the heal in " + i + " ms");
        }
    }
}

package io.sluice.fault;

import io.sluice.fault.scenario.Faults;
import io.sluice.fault.scenario.ScenarioResult;
import io.sluice.fault.scenario.ScenarioSpec;
import io.sluice.fault.scenario.Step;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/**
 * The CI schedule (bounded: about two minutes): three nodes in namespaces under the queue
 * workload while partition 0's leader is SIGKILLed and restarted, frozen with SIGSTOP and woken,
 * and two nodes' wall clocks are stepped; then the whole history and every replica's log are
 * checked. These faults must already be survived by today's controller.
 */
class ProcessFaultsIT {
    @BeforeAll
    static void preflight() {
        FaultSuite.preflight();
    }

    @Test
    void killPauseAndClockStepsOnThreeNodes() throws Exception {
        ScenarioSpec spec = new ScenarioSpec("ci-process-faults", 3, 3, 3, 2, 20, Duration.ofSeconds(4), List.of(
                new Step(Faults.KILL_LEADER, Duration.ofSeconds(6), Duration.ofSeconds(2)),
                new Step(Faults.PAUSE_LEADER, Duration.ofSeconds(8), Duration.ofSeconds(2)),
                new Step(Faults.CLOCK_STEP, Duration.ofSeconds(8), Duration.ofSeconds(2))), FaultSuite.seed());
        ScenarioResult r = FaultSuite.run(spec);
        FaultSuite.verdict(r);
    }
}

package io.sluice.fault;

import io.sluice.fault.scenario.ScenarioResult;
import io.sluice.fault.scenario.Scenarios;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;

/**
 * Power loss (issue 13's power-cut fault) on three nodes, all voters, RF 3, min.insync.replicas=2,
 * under the idempotent acks=all queue workload: each node's data directory is a lossyfs mount
 * ({@code node/LossyDataDirs}), a cut drops every write the node had not fsynced (by default Sluice
 * acknowledges from the page cache, README "Guarantees") and the node is SIGKILLed at once, then
 * restarted on what survived, while the metadata still names it leader or in the ISR (the broker
 * session and ISR lag are long in these scenarios, {@link Scenarios#POWER_CUT_SETTINGS}).
 *
 * <p>Judged: the queue checker (no lost, inconsistent, duplicate or rolled-back record, nothing) and
 * the unclean-start rule from the views and node logs ({@code scenario/UncleanStartWatch}): the
 * controller fenced the node, and it rejoined each ISR it shared only by catching up. Needs root and
 * lossyfs (skips without; {@code LOSSYFS_REQUIRED=1}, set by {@code .ci/run}, makes a missing
 * lossyfs fail). Runs in CI ({@code mvn -B verify}); tagged {@code power-loss} to leave it out
 * ({@code -Dsluice.fault.excludedGroups=long,power-loss}). About 70 s per scenario here.
 *
 * <p>Two of three nodes cut at once ({@code -Dsluice.fault.powerCutTwo=true}) only measures: when
 * the ISR was just those two, acknowledged records may be lost by design (README "Guarantees"); with
 * the third in the ISR nothing should be, and the report says which it was.
 */
@Tag("power-loss")
class PowerLossIT {
    @BeforeAll
    static void preflight() {
        FaultSuite.preflight();
        LossyFs.assumeAvailable();
    }

    @Test
    void theLeaderLosesPowerAndComesBackBeforeItsSessionEnds() throws Exception {
        FaultSuite.verdict(FaultSuite.run(Scenarios.named("power-cut-leader", FaultSuite.seed(), Duration.ZERO)));
    }

    @Test
    void anInSyncFollowerLosesPowerAndComesBackBeforeItsSessionEnds() throws Exception {
        FaultSuite.verdict(FaultSuite.run(Scenarios.named("power-cut-follower", FaultSuite.seed(), Duration.ZERO)));
    }

    @Test
    @EnabledIfSystemProperty(named = "sluice.fault.powerCutTwo", matches = "true")
    void twoOfThreeNodesLosePowerAtOnceMeasuredOnly() throws Exception {
        ScenarioResult r = FaultSuite.run(Scenarios.named("power-cut-leader-and-follower", FaultSuite.seed(), Duration.ZERO));
        System.out.println("[fault] two of three nodes power-cut at once: acked " + r.check().acked() + ", lost " + r.lost()
                + ", inconsistent " + r.inconsistentOffsets() + ", duplicates " + r.duplicates() + ", violations "
                + r.violations().size() + " (measured, not judged: README \"Guarantees\")");
    }
}

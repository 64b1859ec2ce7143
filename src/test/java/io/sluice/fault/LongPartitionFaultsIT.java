package io.sluice.fault;

import io.sluice.fault.scenario.Scenarios;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/**
 * The partition scenarios that do not run on every build (about 6 minutes together here): a
 * follower cut off, a bridge (two sides that both see a third node), and a short combined random
 * schedule of cuts, pauses, kills and clock steps. Tagged {@code long}, which the pom property
 * {@code sluice.fault.excludedGroups} leaves out; run them with {@code -Dsluice.fault.excludedGroups=none}
 * (fault/README.md), or the soak, {@code fault/soak.sh}.
 */
@Tag("long")
class LongPartitionFaultsIT {
    @BeforeAll
    static void preflight() {
        FaultSuite.preflight();
    }

    @Test
    void aFollowerCutOff() throws Exception {
        FaultSuite.verdict(FaultSuite.run(Scenarios.named("isolate-follower", FaultSuite.seed(), Duration.ZERO)));
    }

    @Test
    void aBridgePartition() throws Exception {
        FaultSuite.verdict(FaultSuite.run(Scenarios.named("bridge", FaultSuite.seed(), Duration.ZERO)));
    }

    @Test
    void aShortCombinedSchedule() throws Exception {
        FaultSuite.verdict(FaultSuite.run(Scenarios.named("combined", FaultSuite.seed(), Duration.ofSeconds(60))));
    }
}

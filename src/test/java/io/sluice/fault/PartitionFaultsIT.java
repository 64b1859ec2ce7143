package io.sluice.fault;

import io.sluice.fault.scenario.Scenarios;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/**
 * Network partitions against the cluster (the faults a majority-backed controller exists for):
 * a follower cut off, the leader cut off alone, the leader and a follower cut off from a 5-node
 * cluster's majority, a bridge, and a short combined random schedule. Tagged {@code needs-quorum}:
 * today's Hazelcast "oldest member" controller loses acknowledged writes here, so CI leaves these
 * out (pom property {@code sluice.fault.excludedGroups}) until the Raft controller lands. Run them
 * with {@code -Dsluice.fault.excludedGroups=none}, adding {@code -Dsluice.fault.expectSafe=false} to
 * measure today's code without failing.
 */
@Tag("needs-quorum")
class PartitionFaultsIT {
    @BeforeAll
    static void preflight() {
        FaultSuite.preflight();
    }

    @Test
    void aFollowerCutOff() throws Exception {
        FaultSuite.verdict(FaultSuite.run(Scenarios.named("isolate-follower", FaultSuite.seed(), Duration.ZERO)));
    }

    @Test
    void theLeaderCutOffAlone() throws Exception {
        FaultSuite.verdict(FaultSuite.run(Scenarios.named("isolate-leader", FaultSuite.seed(), Duration.ZERO)));
    }

    @Test
    void theLeaderAndAFollowerCutOffFromFiveNodesMajority() throws Exception {
        FaultSuite.verdict(FaultSuite.run(Scenarios.named("isolate-leader-and-follower", FaultSuite.seed(), Duration.ZERO)));
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

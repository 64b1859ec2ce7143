package io.sluice.fault;

import io.sluice.fault.scenario.Scenarios;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/**
 * Network partitions against the cluster (the faults the majority-backed controller exists for), the
 * two that run on every build: the leader cut off alone, and the leader and a follower cut off from
 * a 5-node cluster's majority (a minority that still satisfies {@code min.insync.replicas=2}: the
 * case that lost hundreds of acknowledged writes under the Hazelcast "oldest member" controller).
 * The others ({@link LongPartitionFaultsIT}) and the soak run on demand.
 */
class PartitionFaultsIT {
    @BeforeAll
    static void preflight() {
        FaultSuite.preflight();
    }

    @Test
    void theLeaderCutOffAlone() throws Exception {
        FaultSuite.verdict(FaultSuite.run(Scenarios.named("isolate-leader", FaultSuite.seed(), Duration.ZERO)));
    }

    @Test
    void theLeaderAndAFollowerCutOffFromFiveNodesMajority() throws Exception {
        FaultSuite.verdict(FaultSuite.run(Scenarios.named("isolate-leader-and-follower", FaultSuite.seed(), Duration.ZERO)));
    }
}

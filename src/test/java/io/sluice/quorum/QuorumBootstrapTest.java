package io.sluice.quorum;

import io.sluice.config.ConfigLoader;
import io.sluice.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuorumBootstrapTest {
    @TempDir
    Path dir;

    NodeConfig config(String... extra) {
        List<String> args = new ArrayList<>(List.of("--data-dir", dir.toString(), "--cluster-host", "127.0.0.1"));
        args.addAll(List.of(extra));
        return ConfigLoader.load(args.toArray(String[]::new), Map.of());
    }

    @Test
    void theListedNodesVoteAndTheOthersAreBrokersOfThatQuorum() throws Exception {
        String voters = "n1@10.0.0.1:9093,n2@10.0.0.2:9093,n3@10.0.0.3:9093";
        QuorumPlan voter = QuorumBootstrap.resolve(config("--controller-voters", voters), "n2", false);
        assertTrue(voter.isVoter());
        assertEquals(new Voter("n2", "10.0.0.2", 9093), voter.self());
        assertEquals(9093, voter.bindPort());
        assertEquals(2, voter.majority());
        QuorumPlan custom = QuorumBootstrap.resolve(config("--controller-voters", voters, "--controller-port", "9999"), "n2", false);
        assertEquals(9999, custom.bindPort(), "--controller-port overrides the voter entry's port for binding");
        QuorumPlan broker = QuorumBootstrap.resolve(config("--controller-voters", voters), "n4", true);
        assertFalse(broker.isVoter());
        assertEquals(3, broker.voters().size());
    }

    @Test
    void theVotersAreStoredSoThatARestartNeedsNoFlags() throws Exception {
        QuorumBootstrap.resolve(config("--controller-voters", "n1@10.0.0.1:9093,n2@10.0.0.2:9093,n3@10.0.0.3:9093"), "n1", false);
        QuorumPlan restarted = QuorumBootstrap.resolve(config(), "n1", true);
        assertTrue(restarted.isVoter());
        assertEquals(3, restarted.voters().size());
    }

    @Test
    void aNodeAloneWithoutVotersIsAQuorumOfOne() throws Exception {
        QuorumPlan plan = QuorumBootstrap.resolve(config(), "solo", false);
        assertTrue(plan.isVoter());
        assertEquals(List.of(plan.self()), plan.voters());
        assertEquals("solo", plan.self().id());
        assertEquals(1, plan.majority());
    }

    @Test
    void aNodeThatJoinedAClusterWithoutVotersStaysABrokerEvenRestartedAlone() throws Exception {
        QuorumPlan joined = QuorumBootstrap.resolve(config(), "late", true);
        assertFalse(joined.isVoter());
        assertNull(joined.self());
        QuorumPlan alone = QuorumBootstrap.resolve(config(), "late", false);
        assertFalse(alone.isVoter(), "it never forms a quorum of its own");
    }
}

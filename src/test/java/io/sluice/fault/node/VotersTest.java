package io.sluice.fault.node;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The quorum flags as API.md "Controller quorum" spells them. */
class VotersTest {
    private final List<String> ips = List.of("10.213.7.1", "10.213.7.2", "10.213.7.3", "10.213.7.4", "10.213.7.5");

    @Test
    void theFirstCountNodesVoteEachAtItsClusterAddress() {
        assertEquals(List.of("--controller-voters", "n0@10.213.7.1:9093,n1@10.213.7.2:9093,n2@10.213.7.3:9093",
                "--controller-port", "9093"), new Voters(true, 3, 9093).flags(ips));
    }

    @Test
    void withoutAQuorumNoFlagsAreGiven() {
        assertEquals(List.of(), new Voters(false, 5, 9093).flags(ips));
    }
}

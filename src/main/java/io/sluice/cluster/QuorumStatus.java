package io.sluice.cluster;

import java.util.List;

/**
 * This node's place in the controller quorum, as {@code GET /cluster} shows it: whether it votes,
 * the voters it knows of (a voter: the configuration Raft holds now; a broker: what it was started
 * with), the controller epoch it follows, what is left of its lease, and the members it does not
 * reach over the event bus.
 */
public record QuorumStatus(boolean voter, List<String> voters, long controllerEpoch, long leaseRemainingMs,
                           List<String> unreachable) {
}

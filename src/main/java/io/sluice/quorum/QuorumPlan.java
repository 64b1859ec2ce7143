package io.sluice.quorum;

import java.util.List;

/**
 * The controller quorum as this node takes part in it: the voters, and this node's own entry when
 * it is one of them (null: a broker only), with the address its quorum server binds to.
 */
public record QuorumPlan(List<Voter> voters, Voter self, String bindHost, int bindPort) {
    public QuorumPlan {
        voters = List.copyOf(voters);
    }

    public boolean isVoter() {
        return self != null;
    }

    /** Votes needed to commit: a majority of the voters. */
    public int majority() {
        return voters.size() / 2 + 1;
    }
}

package io.sluice.quorum;

import io.sluice.config.BrokerSettings;

/**
 * Timeouts of the controller quorum ({@code controller.quorum.election.timeout.ms}, Kafka's name and
 * default; {@code controller.quorum.commit.timeout.ms}).
 */
public record QuorumSettings(long electionTimeoutMinMs, long electionTimeoutMaxMs, long proposalTimeoutMs) {
    /** Entries between two snapshots of the metadata log. */
    static final long SNAPSHOT_THRESHOLD = 1_000;

    public static QuorumSettings of(BrokerSettings broker) {
        long election = broker.getLong("controller.quorum.election.timeout.ms");
        return new QuorumSettings(election, 2 * election, broker.getLong("controller.quorum.commit.timeout.ms"));
    }
}

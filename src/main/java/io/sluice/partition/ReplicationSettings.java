package io.sluice.partition;

import io.sluice.config.BrokerSettings;

/**
 * Broker settings of replication ({@code replica.lag.time.max.ms}, {@code replica.fetch.max.bytes},
 * {@code replica.fetch.wait.max.ms}) and where leaders send their ISR changes.
 */
public record ReplicationSettings(long lagTimeMaxMs, int fetchMaxBytes, long fetchWaitMaxMs, IsrChanges isrChanges) {

    public static ReplicationSettings of(BrokerSettings broker, IsrChanges isrChanges) {
        return new ReplicationSettings(broker.getLong("replica.lag.time.max.ms"), broker.getInt("replica.fetch.max.bytes"),
                broker.getLong("replica.fetch.wait.max.ms"), isrChanges);
    }
}

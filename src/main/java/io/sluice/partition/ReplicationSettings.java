package io.sluice.partition;

import io.sluice.cluster.BrokerLease;
import io.sluice.config.BrokerSettings;

/**
 * Broker settings of replication ({@code replica.lag.time.max.ms}, {@code replica.fetch.max.bytes},
 * {@code replica.fetch.wait.max.ms}), where leaders send their ISR changes, and the broker's lease
 * without which its leaders neither append nor acknowledge.
 */
public record ReplicationSettings(long lagTimeMaxMs, int fetchMaxBytes, long fetchWaitMaxMs, IsrChanges isrChanges,
                                  BrokerLease lease) {

    public static ReplicationSettings of(BrokerSettings broker, IsrChanges isrChanges, BrokerLease lease) {
        return new ReplicationSettings(broker.getLong("replica.lag.time.max.ms"), broker.getInt("replica.fetch.max.bytes"),
                broker.getLong("replica.fetch.wait.max.ms"), isrChanges, lease);
    }
}

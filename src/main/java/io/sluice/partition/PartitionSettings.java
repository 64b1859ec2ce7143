package io.sluice.partition;

import io.sluice.config.BrokerSettings;
import io.sluice.config.TopicConfig;
import io.sluice.log.LogConfig;

import java.util.Map;

/**
 * What a partition needs from its topic's configs and the broker settings, resolved once per
 * metadata change.
 */
public record PartitionSettings(LogConfig logConfig, int minInsyncReplicas, boolean uncleanLeaderElection,
                                long retentionCheckIntervalMs, long flushCheckIntervalMs, int tailCacheBytes,
                                int inlineAppendMaxBytes) {

    public static PartitionSettings of(Map<String, String> topicConfigs, BrokerSettings broker) {
        TopicConfig config = TopicConfig.of(topicConfigs);
        return new PartitionSettings(config.toLogConfig(broker), config.minInsyncReplicas(broker),
                config.uncleanLeaderElection(broker), broker.getLong("log.retention.check.interval.ms"),
                broker.getLong("log.flush.scheduler.interval.ms"), broker.getInt("sluice.partition.tail.cache.bytes"),
                broker.getInt("sluice.partition.inline.append.max.bytes"));
    }
}

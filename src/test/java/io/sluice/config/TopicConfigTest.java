package io.sluice.config;

import io.sluice.log.LogConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Topic configs: validation, persistence round trip, PATCH, and what the log and the API see. */
class TopicConfigTest {
    private final BrokerSettings broker = BrokerSettings.defaults();

    private static ConfigException error(Map<String, ?> overrides) {
        return assertThrows(ConfigException.class, () -> TopicConfig.of(overrides));
    }

    @Test
    void acceptsJsonScalarsAndNumbersGivenAsStrings() {
        TopicConfig c = TopicConfig.of(Map.of("retention.ms", 3_600_000, "retention.bytes", "-1",
                "segment.bytes", 1_048_576L, "cleanup.policy", "compact,delete", "min.insync.replicas", "2",
                "unclean.leader.election.enable", true, "min.cleanable.dirty.ratio", 0.25,
                "message.timestamp.type", "LogAppendTime", "value.schema.subject", "clicks-value"));
        assertEquals(Map.of("retention.ms", "3600000", "retention.bytes", "-1", "segment.bytes", "1048576",
                "cleanup.policy", "delete,compact", "min.insync.replicas", "2", "unclean.leader.election.enable", "true",
                "min.cleanable.dirty.ratio", "0.25", "message.timestamp.type", "LogAppendTime",
                "value.schema.subject", "clicks-value"), c.overrides());
    }

    @Test
    void overridesRoundTripThroughOf() {
        TopicConfig c = TopicConfig.of(Map.of("retention.ms", -1, "flush.messages", 1, "max.message.bytes", "2000000",
                "cleanup.policy", "compact", "min.compaction.lag.ms", 0, "value.schema.subject", "s"));
        assertEquals(c, TopicConfig.of(c.overrides()));
        assertEquals(c.overrides(), TopicConfig.of(c.overrides()).overrides());
        assertEquals(Map.of(), TopicConfig.of(Map.of()).overrides());
    }

    @Test
    void unknownConfigSuggestsTheClosestAndSetsTheName() {
        ConfigException e = error(Map.of("retention.msx", 1));
        assertEquals("retention.msx", e.name());
        assertEquals("unknown topic config 'retention.msx' (did you mean 'retention.ms'?)", e.getMessage());
        assertEquals("unknown topic config 'log.retention.ms': that is the broker setting, the topic config is "
                + "'retention.ms'", error(Map.of("log.retention.ms", 1)).getMessage());
        assertEquals("unknown topic config 'log.roll.ms': that is the broker setting, the topic config is "
                + "'segment.ms'", error(Map.of("log.roll.ms", 1)).getMessage());
    }

    @Test
    void badValuesNameTheConfig() {
        ConfigException e = error(Map.of("min.insync.replicas", 0));
        assertEquals("min.insync.replicas", e.name());
        assertEquals("min.insync.replicas: expected a positive integer, got '0'", e.getMessage());
        assertEquals("segment.bytes: expected an integer >= 1024, got '1023'",
                error(Map.of("segment.bytes", 1023)).getMessage());
        assertEquals("max.message.bytes: expected an integer >= 76, got '75'",
                error(Map.of("max.message.bytes", "75")).getMessage());
        assertEquals("min.cleanable.dirty.ratio: expected a number from 0 to 1, got '1.5'",
                error(Map.of("min.cleanable.dirty.ratio", 1.5)).getMessage());
        assertEquals("retention.ms: expected -1 (no limit) or a non-negative integer, got 'forever'",
                error(Map.of("retention.ms", "forever")).getMessage());
        assertEquals("cleanup.policy: expected a comma-separated list of one or more of delete, compact, got 'delete|compact'",
                error(Map.of("cleanup.policy", "delete|compact")).getMessage());
        assertEquals("unclean.leader.election.enable: expected true or false, got '1'",
                error(Map.of("unclean.leader.election.enable", 1)).getMessage());
        assertEquals("value.schema.subject: expected a non-empty string, got ''",
                error(Map.of("value.schema.subject", "")).getMessage());
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("retention.ms", null);
        assertEquals("retention.ms: expected -1 (no limit) or a non-negative integer, got null",
                error(withNull).getMessage());
    }

    @Test
    void withChangesSetsReplacesAndRemovesWithNull() {
        TopicConfig before = TopicConfig.of(Map.of("retention.ms", 1000, "segment.bytes", 4096));
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("retention.ms", null);
        patch.put("segment.bytes", "8192");
        patch.put("cleanup.policy", "compact");
        TopicConfig after = before.withChanges(patch);
        assertEquals(Map.of("segment.bytes", "8192", "cleanup.policy", "compact"), after.overrides());
        assertEquals(Map.of("retention.ms", "1000", "segment.bytes", "4096"), before.overrides(), "unchanged");
        assertEquals(604800000L, after.effective(broker).get("retention.ms"), "inherits the broker default again");
    }

    @Test
    void withChangesValidatesEveryName() {
        TopicConfig c = TopicConfig.of(Map.of());
        Map<String, Object> removeUnknown = new HashMap<>();
        removeUnknown.put("retention.mss", null);
        assertEquals("retention.mss", assertThrows(ConfigException.class, () -> c.withChanges(removeUnknown)).name());
        assertEquals("flush.ms", assertThrows(ConfigException.class,
                () -> c.withChanges(Map.of("flush.ms", -1))).name());
    }

    @Test
    void toLogConfigFallsBackToBrokerDefaults() {
        LogConfig log = TopicConfig.of(Map.of()).toLogConfig(broker);
        assertEquals(1 << 30, log.segmentBytes);
        assertEquals(604800000L, log.segmentMs);
        assertEquals(4096, log.indexIntervalBytes);
        assertEquals(604800000L, log.retentionMs);
        assertEquals(-1L, log.retentionBytes);
        assertTrue(log.delete);
        assertFalse(log.compact);
        assertEquals(86400000L, log.deleteRetentionMs);
        assertEquals(0L, log.minCompactionLagMs);
        assertEquals(0.5, log.minCleanableDirtyRatio);
        assertEquals(1048588, log.maxMessageBytes);
        assertEquals(Long.MAX_VALUE, log.flushMessages);
        assertEquals(Long.MAX_VALUE, log.flushMs);
        assertFalse(log.logAppendTime);
        assertEquals(86400000L, log.producerIdExpirationMs);
    }

    @Test
    void toLogConfigAppliesOverridesAndChangedBrokerDefaults() {
        BrokerSettings changed = broker.with(Map.of("log.segment.bytes", "65536", "producer.id.expiration.ms", "60000",
                "log.cleanup.policy", "compact", "log.flush.interval.messages", "1"));
        TopicConfig topic = TopicConfig.of(Map.of("retention.ms", -1, "retention.bytes", 1_000_000,
                "segment.ms", 3_600_000, "index.interval.bytes", 1024, "cleanup.policy", "delete,compact",
                "delete.retention.ms", 1000, "min.compaction.lag.ms", 5000, "min.cleanable.dirty.ratio", 0.1,
                "max.message.bytes", 2048, "flush.ms", 100));
        LogConfig log = TopicConfig.of(topic.withChanges(Map.of("message.timestamp.type", "LogAppendTime")).overrides())
                .toLogConfig(changed);
        assertEquals(65536, log.segmentBytes, "inherited from the changed broker default");
        assertEquals(3_600_000L, log.segmentMs);
        assertEquals(1024, log.indexIntervalBytes);
        assertEquals(-1L, log.retentionMs);
        assertEquals(1_000_000L, log.retentionBytes);
        assertTrue(log.delete);
        assertTrue(log.compact);
        assertEquals(1000L, log.deleteRetentionMs);
        assertEquals(5000L, log.minCompactionLagMs);
        assertEquals(0.1, log.minCleanableDirtyRatio);
        assertEquals(2048, log.maxMessageBytes);
        assertTrue(log.flushEveryAppend(), "flush.messages inherited from log.flush.interval.messages");
        assertEquals(100L, log.flushMs);
        assertTrue(log.logAppendTime);
        assertEquals(60000L, log.producerIdExpirationMs);
    }

    @Test
    void replicationAndSchemaAccessorsInheritOrOverride() {
        TopicConfig none = TopicConfig.of(Map.of());
        assertEquals(1, none.minInsyncReplicas(broker));
        assertFalse(none.uncleanLeaderElection(broker));
        assertEquals(Optional.empty(), none.valueSchemaSubject());
        assertTrue(none.uncleanLeaderElection(broker.with(Map.of("unclean.leader.election.enable", "true"))));

        TopicConfig set = TopicConfig.of(Map.of("min.insync.replicas", 2, "unclean.leader.election.enable", "true",
                "value.schema.subject", "clicks-value"));
        assertEquals(2, set.minInsyncReplicas(broker));
        assertTrue(set.uncleanLeaderElection(broker));
        assertEquals(Optional.of("clicks-value"), set.valueSchemaSubject());
    }

    @Test
    void effectiveListsEveryConfigWithJsonTypes() {
        Map<String, Object> effective = TopicConfig.of(Map.of("cleanup.policy", "compact,delete", "segment.bytes", 2048))
                .effective(broker);
        assertEquals(List.of("retention.ms", "retention.bytes", "segment.bytes", "segment.ms", "index.interval.bytes",
                "cleanup.policy", "delete.retention.ms", "min.compaction.lag.ms", "min.cleanable.dirty.ratio",
                "max.message.bytes", "flush.messages", "flush.ms", "message.timestamp.type", "min.insync.replicas",
                "unclean.leader.election.enable", "value.schema.subject", "confluent.key.schema.validation",
                "confluent.value.schema.validation", "confluent.key.subject.name.strategy",
                "confluent.value.subject.name.strategy"), List.copyOf(effective.keySet()));
        assertEquals(false, effective.get("confluent.value.schema.validation"));
        assertEquals("io.confluent.kafka.serializers.subject.TopicNameStrategy",
                effective.get("confluent.value.subject.name.strategy"));
        assertEquals(604800000L, effective.get("retention.ms"));
        assertEquals(2048, effective.get("segment.bytes"));
        assertEquals("delete,compact", effective.get("cleanup.policy"));
        assertEquals(0.5, effective.get("min.cleanable.dirty.ratio"));
        assertEquals("CreateTime", effective.get("message.timestamp.type"));
        assertEquals(1, effective.get("min.insync.replicas"));
        assertEquals(false, effective.get("unclean.leader.election.enable"));
        assertTrue(effective.containsKey("value.schema.subject"));
        assertNull(effective.get("value.schema.subject"));
    }

    @Test
    void definitionsShareTheInheritedConstraint() {
        for (SettingDef def : TopicConfig.definitions()) {
            // Only the configs named after a broker setting inherit one; the schema ones are per topic.
            if (!def.name().equals("value.schema.subject") && !def.name().startsWith("confluent.")) {
                assertTrue(def.doc().contains("(default: "), def.name());
            }
        }
        assertEquals(20, TopicConfig.definitions().size());
    }
}

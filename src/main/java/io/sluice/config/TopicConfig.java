package io.sluice.config;

import io.sluice.log.LogConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A topic's config overrides by Kafka topic-config name, as given in {@code POST /topics} and
 * {@code PATCH /topics/{t}/configs}. Holds only what was set, which is what gets persisted; every
 * config left unset inherits the broker setting it is named after ({@code retention.ms} from
 * {@code log.retention.ms}), so changing a broker default reaches every topic that did not override
 * it. Immutable.
 */
public final class TopicConfig {
    private static final String VALUE_SCHEMA_SUBJECT = "value.schema.subject";
    private static final String KEY_SCHEMA_VALIDATION = "confluent.key.schema.validation";
    private static final String VALUE_SCHEMA_VALIDATION = "confluent.value.schema.validation";
    private static final String KEY_SUBJECT_NAME_STRATEGY = "confluent.key.subject.name.strategy";
    private static final String VALUE_SUBJECT_NAME_STRATEGY = "confluent.value.subject.name.strategy";
    /** Confluent's names of its subject name strategies, short and as classes (schema/ maps them). */
    private static final List<String> SUBJECT_NAME_STRATEGIES = strategyNames();

    /** Each topic config and the broker setting it inherits, in the order {@link #effective} lists them. */
    private static final Map<String, String> INHERITS = inherits(
            "retention.ms", "log.retention.ms",
            "retention.bytes", "log.retention.bytes",
            "segment.bytes", "log.segment.bytes",
            "segment.ms", "log.roll.ms",
            "index.interval.bytes", "log.index.interval.bytes",
            "cleanup.policy", "log.cleanup.policy",
            "delete.retention.ms", "log.cleaner.delete.retention.ms",
            "min.compaction.lag.ms", "log.cleaner.min.compaction.lag.ms",
            "min.cleanable.dirty.ratio", "log.cleaner.min.cleanable.ratio",
            "max.message.bytes", "message.max.bytes",
            "flush.messages", "log.flush.interval.messages",
            "flush.ms", "log.flush.interval.ms",
            "message.timestamp.type", "log.message.timestamp.type",
            "min.insync.replicas", "min.insync.replicas",
            "unclean.leader.election.enable", "unclean.leader.election.enable");

    private static final Map<String, SettingDef> DEFS = definitionsByName();

    private final Map<String, Object> overrides;

    private TopicConfig(Map<String, Object> typed) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String name : DEFS.keySet()) {
            if (typed.containsKey(name)) {
                ordered.put(name, typed.get(name));
            }
        }
        this.overrides = Collections.unmodifiableMap(ordered);
    }

    /**
     * Validates {@code overrides}: values as they come from JSON (numbers, strings, booleans; numbers
     * given as strings are accepted too) or from {@link #overrides()}.
     *
     * @throws ConfigException for an unknown name or a bad value, with {@link ConfigException#name()} set
     */
    public static TopicConfig of(Map<String, ?> overrides) {
        Map<String, Object> typed = new HashMap<>();
        new TreeMap<String, Object>(overrides).forEach((name, value) -> typed.put(name, parse(name, value)));
        return new TopicConfig(typed);
    }

    /** The definitions of every topic config: the inherited ones share their broker setting's constraint. */
    public static List<SettingDef> definitions() {
        return List.copyOf(DEFS.values());
    }

    /** Only the configs that were set, as normalized strings: what gets persisted; {@link #of} reads it back. */
    public Map<String, String> overrides() {
        Map<String, String> formatted = new LinkedHashMap<>();
        overrides.forEach((name, value) -> formatted.put(name, DEFS.get(name).format(value)));
        return Collections.unmodifiableMap(formatted);
    }

    /**
     * The result of a {@code PATCH}: a null value removes that override (the topic inherits the broker
     * default again), any other value sets or replaces it.
     *
     * @throws ConfigException for an unknown name, even one being removed, or a bad value
     */
    public TopicConfig withChanges(Map<String, ?> changes) {
        Map<String, Object> typed = new HashMap<>(overrides);
        new TreeMap<String, Object>(changes).forEach((name, value) -> {
            if (value == null) {
                definition(name);
                typed.remove(name);
            } else {
                typed.put(name, parse(name, value));
            }
        });
        return new TopicConfig(typed);
    }

    /** The storage engine's settings for each partition of this topic. */
    public LogConfig toLogConfig(BrokerSettings broker) {
        @SuppressWarnings("unchecked")
        List<String> policy = (List<String>) value("cleanup.policy", broker);
        try {
            return LogConfig.builder()
                    .segmentBytes((Integer) value("segment.bytes", broker))
                    .segmentMs((Long) value("segment.ms", broker))
                    .indexIntervalBytes((Integer) value("index.interval.bytes", broker))
                    .retentionMs((Long) value("retention.ms", broker))
                    .retentionBytes((Long) value("retention.bytes", broker))
                    .cleanupPolicy(policy.contains("delete"), policy.contains("compact"))
                    .deleteRetentionMs((Long) value("delete.retention.ms", broker))
                    .minCompactionLagMs((Long) value("min.compaction.lag.ms", broker))
                    .minCleanableDirtyRatio((Double) value("min.cleanable.dirty.ratio", broker))
                    .maxMessageBytes((Integer) value("max.message.bytes", broker))
                    .flushMessages((Long) value("flush.messages", broker))
                    .flushMs((Long) value("flush.ms", broker))
                    .logAppendTime("LogAppendTime".equals(value("message.timestamp.type", broker)))
                    .producerIdExpirationMs(broker.getLong("producer.id.expiration.ms"))
                    .maxProducerIds(broker.getInt("sluice.max.idempotent.producers"))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(mentionedName(e.getMessage()), "invalid topic configs: " + e.getMessage(), e);
        }
    }

    public int minInsyncReplicas(BrokerSettings broker) {
        return (Integer) value("min.insync.replicas", broker);
    }

    public boolean uncleanLeaderElection(BrokerSettings broker) {
        return (Boolean) value("unclean.leader.election.enable", broker);
    }

    /** The schema-registry subject that record values must conform to, if the topic has one. */
    public Optional<String> valueSchemaSubject() {
        return Optional.ofNullable((String) overrides.get(VALUE_SCHEMA_SUBJECT));
    }

    /** {@code confluent.key.schema.validation}: keys must be in the wire format with a schema of their subject. */
    public boolean keySchemaValidation() {
        return Boolean.TRUE.equals(value(KEY_SCHEMA_VALIDATION, null));
    }

    /** {@code confluent.value.schema.validation}: values must be in the wire format with a schema of their subject. */
    public boolean valueSchemaValidation() {
        return Boolean.TRUE.equals(value(VALUE_SCHEMA_VALIDATION, null));
    }

    /** {@code confluent.key.subject.name.strategy}, as configured (a short or a class name). */
    public String keySubjectNameStrategy() {
        return (String) value(KEY_SUBJECT_NAME_STRATEGY, null);
    }

    /** {@code confluent.value.subject.name.strategy}, as configured (a short or a class name). */
    public String valueSubjectNameStrategy() {
        return (String) value(VALUE_SUBJECT_NAME_STRATEGY, null);
    }

    /**
     * Every topic config with the value in force, as JSON scalars (Integer, Long, Double, Boolean,
     * String; {@code value.schema.subject} is null when unset), for {@code GET /topics/{t}}.
     */
    public Map<String, Object> effective(BrokerSettings broker) {
        Map<String, Object> effective = new LinkedHashMap<>();
        for (SettingDef def : DEFS.values()) {
            effective.put(def.name(), def.jsonValue(value(def.name(), broker)));
        }
        return Collections.unmodifiableMap(effective);
    }

    private Object value(String name, BrokerSettings broker) {
        if (overrides.containsKey(name)) {
            return overrides.get(name);
        }
        String inherited = INHERITS.get(name);
        return inherited == null ? DEFS.get(name).defaultValue() : broker.value(inherited);
    }

    private static Object parse(String name, Object value) {
        return definition(name).parse(value, name);
    }

    private static SettingDef definition(String name) {
        SettingDef def = DEFS.get(name);
        if (def == null) {
            for (Map.Entry<String, String> e : INHERITS.entrySet()) {
                if (e.getValue().equals(name)) {
                    throw new ConfigException(name, "unknown topic config '" + name + "': that is the broker setting, "
                            + "the topic config is '" + e.getKey() + "'");
                }
            }
            throw new ConfigException(name, Names.unknown("topic config", name, DEFS.keySet()));
        }
        return def;
    }

    /**
     * The topic config a storage-engine complaint starts with, or {@code configs}, the request field
     * at fault, when it names none.
     */
    private static String mentionedName(String message) {
        String first = message == null ? "" : message.split(" ", 2)[0];
        return DEFS.containsKey(first) ? first : "configs";
    }

    private static List<String> strategyNames() {
        List<String> names = new ArrayList<>();
        for (String simple : List.of("TopicNameStrategy", "RecordNameStrategy", "TopicRecordNameStrategy")) {
            names.add(simple);
            names.add("io.confluent.kafka.serializers.subject." + simple);
        }
        return List.copyOf(names);
    }

    private static Map<String, String> inherits(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static Map<String, SettingDef> definitionsByName() {
        List<SettingDef> defs = new ArrayList<>();
        INHERITS.forEach((topicName, brokerName) -> {
            SettingDef broker = BrokerSettings.definition(brokerName).orElseThrow();
            defs.add(broker.renamed(topicName, broker.doc() + " (default: " + brokerName + ")"));
        });
        defs.add(SettingDef.ofString(VALUE_SCHEMA_SUBJECT, null,
                "schema-registry subject that record values are validated against, instead of the one "
                        + VALUE_SUBJECT_NAME_STRATEGY + " names"));
        defs.add(SettingDef.ofBoolean(KEY_SCHEMA_VALIDATION, false,
                "refuse (422) records whose key is not in Confluent's wire format with a schema id registered under "
                        + "the key subject and a payload that decodes with it"));
        defs.add(SettingDef.ofBoolean(VALUE_SCHEMA_VALIDATION, false,
                "refuse (422) records whose value is not in Confluent's wire format with a schema id registered under "
                        + "the value subject and a payload that decodes with it"));
        defs.add(SettingDef.ofEnum(KEY_SUBJECT_NAME_STRATEGY, "io.confluent.kafka.serializers.subject.TopicNameStrategy",
                SUBJECT_NAME_STRATEGIES, "subject of keys: TopicNameStrategy (<topic>-key), RecordNameStrategy "
                        + "(the record's full name) or TopicRecordNameStrategy (<topic>-<record name>)"));
        defs.add(SettingDef.ofEnum(VALUE_SUBJECT_NAME_STRATEGY, "io.confluent.kafka.serializers.subject.TopicNameStrategy",
                SUBJECT_NAME_STRATEGIES, "subject of values: TopicNameStrategy (<topic>-value), RecordNameStrategy "
                        + "(the record's full name) or TopicRecordNameStrategy (<topic>-<record name>)"));
        Map<String, SettingDef> byName = new LinkedHashMap<>();
        defs.forEach(def -> byName.put(def.name(), def));
        return Collections.unmodifiableMap(byName);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicConfig other && overrides.equals(other.overrides);
    }

    @Override
    public int hashCode() {
        return Objects.hash(overrides);
    }

    @Override
    public String toString() {
        return "TopicConfig" + overrides();
    }
}

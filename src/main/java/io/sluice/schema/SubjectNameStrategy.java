package io.sluice.schema;

import java.util.List;
import java.util.Locale;

/**
 * Confluent's subject name strategies: which subject a topic's keys or values are registered under.
 * Topic configs name them by Confluent's class names or by their short names.
 */
public enum SubjectNameStrategy {
    /** {@code <topic>-key} / {@code <topic>-value}: one schema lineage per topic (the default). */
    TOPIC_NAME("TopicNameStrategy"),
    /** The record's full name: one lineage per record type, across topics. */
    RECORD_NAME("RecordNameStrategy"),
    /** {@code <topic>-<record full name>}: one lineage per record type per topic. */
    TOPIC_RECORD_NAME("TopicRecordNameStrategy");

    private static final String PACKAGE = "io.confluent.kafka.serializers.subject.";

    private final String shortName;

    SubjectNameStrategy(String shortName) {
        this.shortName = shortName;
    }

    /** Confluent's class name, the form topic configs show. */
    public String className() {
        return PACKAGE + shortName;
    }

    /** Every name a topic config may use, short and long. */
    public static List<String> configNames() {
        return List.of(TOPIC_NAME.shortName, TOPIC_NAME.className(), RECORD_NAME.shortName, RECORD_NAME.className(),
                TOPIC_RECORD_NAME.shortName, TOPIC_RECORD_NAME.className());
    }

    /** @throws IllegalArgumentException for a name no strategy has */
    public static SubjectNameStrategy fromConfig(String name) {
        String simple = name.startsWith(PACKAGE) ? name.substring(PACKAGE.length()) : name;
        for (SubjectNameStrategy s : values()) {
            if (s.shortName.toLowerCase(Locale.ROOT).equals(simple.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown subject name strategy '" + name + "'; one of " + configNames());
    }

    /** Whether the subject depends on the schema, so that it is known only once the record's schema is. */
    public boolean needsRecordName() {
        return this != TOPIC_NAME;
    }

    /**
     * The subject of a key ({@code isKey}) or value of {@code topic} written with {@code schema}
     * (which the topic strategy ignores and may be null).
     *
     * @throws IllegalArgumentException when the strategy needs a record name and the schema has none
     */
    public String subject(String topic, boolean isKey, ParsedSchema schema) {
        if (this == TOPIC_NAME) {
            return topic + (isKey ? "-key" : "-value");
        }
        String name = schema == null ? null : schema.recordName();
        if (name == null) {
            throw new IllegalArgumentException(shortName + " needs a schema with a record name");
        }
        return this == RECORD_NAME ? name : topic + "-" + name;
    }
}

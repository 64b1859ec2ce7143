package io.sluice.schema;

import io.sluice.config.TopicConfig;

/**
 * What a topic's configs say about schemas, read once per topic id and configs (the produce path
 * caches it beside the topic's size limit): for keys and for values, whether records must be
 * validated ({@code confluent.key|value.schema.validation}) and which subject their schemas belong
 * to ({@code confluent.key|value.subject.name.strategy}, or for values the older
 * {@code value.schema.subject}, which names the subject outright). Typed JSON produce registers a
 * schema sent inline under the same subject. Immutable.
 *
 * <p>A null with validation on is refused, with one exception: a null value on a compacted topic,
 * a tombstone, which deletes a key rather than carrying data (Confluent's serializers write a null
 * as a null, never in the wire format).
 */
public record TopicSchemaRules(Side key, Side value, boolean tombstones) {

    /** The rules of a topic that sets no schema config: nothing validated, TopicNameStrategy subjects. */
    public static final TopicSchemaRules NONE = new TopicSchemaRules(
            new Side(false, SubjectNameStrategy.TOPIC_NAME, null), new Side(false, SubjectNameStrategy.TOPIC_NAME, null), false);

    /**
     * The rules of one side (key or value).
     *
     * @param validate        whether records of the topic must carry a valid schema-encoded key/value
     * @param strategy        how the subject follows from the topic and the schema
     * @param explicitSubject the subject given outright ({@code value.schema.subject}), or null
     */
    public record Side(boolean validate, SubjectNameStrategy strategy, String explicitSubject) {
        /** Whether the subject depends on the schema (so that it is known only once the schema is). */
        public boolean needsSchemaForSubject() {
            return explicitSubject == null && strategy.needsRecordName();
        }
    }

    /**
     * The rules {@code config} sets; {@code compacted} says whether the topic's cleanup policy
     * compacts (so that a null value is a tombstone).
     */
    public static TopicSchemaRules of(TopicConfig config, boolean compacted) {
        Side key = new Side(config.keySchemaValidation(), SubjectNameStrategy.fromConfig(config.keySubjectNameStrategy()), null);
        Side value = new Side(config.valueSchemaValidation(), SubjectNameStrategy.fromConfig(config.valueSubjectNameStrategy()),
                config.valueSchemaSubject().orElse(null));
        return new TopicSchemaRules(key, value, compacted);
    }

    /** Whether records of the topic are validated at all: the one check a topic without validation pays. */
    public boolean validates() {
        return key.validate || value.validate;
    }

    public Side side(boolean isKey) {
        return isKey ? key : value;
    }

    /**
     * The subject of a key ({@code isKey}) or value of {@code topic} written with {@code schema}
     * (may be null when the side's subject does not depend on it).
     *
     * @throws IllegalArgumentException when the strategy needs a record name and the schema has none
     */
    public String subject(String topic, boolean isKey, ParsedSchema schema) {
        Side side = side(isKey);
        if (side.explicitSubject != null) {
            return side.explicitSubject;
        }
        return side.strategy.subject(topic, isKey, schema);
    }
}

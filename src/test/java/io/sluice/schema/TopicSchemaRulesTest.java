package io.sluice.schema;

import io.sluice.config.TopicConfig;
import io.sluice.schema.avro.AvroSchemaProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Subjects from a topic's configs: the three strategies, short and class names, and value.schema.subject. */
class TopicSchemaRulesTest {
    static final String USER = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\","
            + "\"fields\":[{\"name\":\"f1\",\"type\":\"string\"}]}";

    static ParsedSchema avro(String text) throws InvalidSchemaException {
        return new AvroSchemaProvider().parse(text, List.of(), Map.of());
    }

    static TopicSchemaRules rules(Map<String, Object> configs, boolean compacted) {
        return TopicSchemaRules.of(TopicConfig.of(configs), compacted);
    }

    @Test
    void aTopicWithoutSchemaConfigsValidatesNothingAndUsesTopicNameSubjects() {
        TopicSchemaRules r = rules(Map.of(), false);
        assertFalse(r.validates());
        assertEquals("t-key", r.subject("t", true, null));
        assertEquals("t-value", r.subject("t", false, null));
        assertFalse(r.value().needsSchemaForSubject());
    }

    @Test
    void recordStrategiesNameTheSubjectAfterTheSchemasRecordName() throws Exception {
        TopicSchemaRules r = rules(Map.of("confluent.value.schema.validation", true,
                "confluent.value.subject.name.strategy", "RecordNameStrategy",
                "confluent.key.subject.name.strategy", "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"), true);
        assertTrue(r.validates());
        assertTrue(r.tombstones());
        assertFalse(r.key().validate());
        assertEquals("com.example.User", r.subject("t", false, avro(USER)));
        assertEquals("t-com.example.User", r.subject("t", true, avro(USER)));
        assertTrue(r.value().needsSchemaForSubject());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.subject("t", false, avro("\"int\"")));
        assertTrue(e.getMessage().contains("record name"), e.getMessage());
    }

    @Test
    void valueSchemaSubjectOverridesTheValueStrategy() throws Exception {
        TopicSchemaRules r = rules(Map.of("value.schema.subject", "shared", "confluent.value.subject.name.strategy",
                "RecordNameStrategy"), false);
        assertFalse(r.validates());
        assertFalse(r.value().needsSchemaForSubject());
        assertEquals("shared", r.subject("t", false, avro(USER)));
        assertEquals("t-key", r.subject("t", true, null));
    }
}

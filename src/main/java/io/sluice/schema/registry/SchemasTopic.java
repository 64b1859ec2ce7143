package io.sluice.schema.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schema.CompatibilityLevel;
import io.sluice.schema.SchemaReference;
import io.sluice.schema.SchemaType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's internal, compacted topic {@value #NAME} (one partition) and its records, in
 * Confluent's own key/value JSON so that its contents read the same as a Confluent registry's:
 * <pre>
 * key   {"keytype":"SCHEMA","subject":"s","version":1,"magic":1}
 * value {"subject":"s","version":1,"id":7,"schemaType":"PROTOBUF","references":[{"name":..,"subject":..,"version":..}],
 *        "schema":"...","deleted":false}            (schemaType absent for AVRO, references when there are any)
 * key   {"keytype":"CONFIG","subject":null|"s","magic":0}   value {"compatibilityLevel":"FULL"}
 * key   {"keytype":"MODE","subject":null|"s","magic":0}     value {"mode":"READONLY"}
 * key   {"keytype":"DELETE_SUBJECT","subject":"s","magic":0} value {"subject":"s","version":3}
 * </pre>
 * A null value (tombstone) is a permanent delete of a version, or the removal of a config or mode.
 * Each key has one encoding (fixed field order), so compaction, which compares key bytes, keeps
 * exactly the latest record of each. The schema record carries the whole state of a version (soft
 * deletion included), so the topic compacted still holds everything.
 */
public final class SchemasTopic {
    /** Confluent's {@code kafkastore.topic}, fixed. */
    public static final String NAME = "_schemas";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemasTopic() {
    }

    /** One decoded record: what its key names and its value, or null for a tombstone. */
    public sealed interface Entry permits SchemaEntry, ConfigEntry, ModeEntry, DeleteSubjectEntry, Other {
    }

    /** A subject's version; {@code value} null: permanently deleted. */
    public record SchemaEntry(String subject, int version, SchemaValue value) implements Entry {
    }

    /** A subject's (or with {@code subject} null the global) compatibility; {@code level} null: removed. */
    public record ConfigEntry(String subject, CompatibilityLevel level) implements Entry {
    }

    /** A subject's (or the global) mode; {@code mode} null: removed. */
    public record ModeEntry(String subject, Mode mode) implements Entry {
    }

    /** Confluent's marker of a subject's soft deletion up to {@code version} (the schema records carry it too). */
    public record DeleteSubjectEntry(String subject, int version) implements Entry {
    }

    /** A key type this node does not use (Confluent's NOOP, CLEAR_SUBJECT, ...): skipped. */
    public record Other(String keytype) implements Entry {
    }

    public record SchemaValue(String subject, int version, int id, SchemaType type, String schema,
                              List<SchemaReference> references, boolean deleted) {
        public SchemaValue {
            references = List.copyOf(references);
        }

        public SchemaValue deleted(boolean d) {
            return new SchemaValue(subject, version, id, type, schema, references, d);
        }
    }

    public static byte[] schemaKey(String subject, int version) {
        ObjectNode k = JSON.createObjectNode();
        k.put("keytype", "SCHEMA").put("subject", subject).put("version", version).put("magic", 1);
        return bytes(k);
    }

    public static byte[] schemaValue(SchemaValue v) {
        ObjectNode o = JSON.createObjectNode();
        o.put("subject", v.subject()).put("version", v.version()).put("id", v.id());
        if (v.type() != SchemaType.AVRO) {
            o.put("schemaType", v.type().name());
        }
        if (!v.references().isEmpty()) {
            ArrayNode refs = o.putArray("references");
            for (SchemaReference r : v.references()) {
                refs.addObject().put("name", r.name()).put("subject", r.subject()).put("version", r.version());
            }
        }
        o.put("schema", v.schema()).put("deleted", v.deleted());
        return bytes(o);
    }

    public static byte[] configKey(String subject) {
        return subjectKey("CONFIG", subject);
    }

    public static byte[] configValue(CompatibilityLevel level) {
        return bytes(JSON.createObjectNode().put("compatibilityLevel", level.name()));
    }

    public static byte[] modeKey(String subject) {
        return subjectKey("MODE", subject);
    }

    public static byte[] modeValue(Mode mode) {
        return bytes(JSON.createObjectNode().put("mode", mode.name()));
    }

    public static byte[] deleteSubjectKey(String subject) {
        return subjectKey("DELETE_SUBJECT", subject);
    }

    public static byte[] deleteSubjectValue(String subject, int version) {
        return bytes(JSON.createObjectNode().put("subject", subject).put("version", version));
    }

    private static byte[] subjectKey(String keytype, String subject) {
        ObjectNode k = JSON.createObjectNode();
        k.put("keytype", keytype);
        if (subject == null) {
            k.putNull("subject");
        } else {
            k.put("subject", subject);
        }
        k.put("magic", 0);
        return bytes(k);
    }

    /**
     * Decodes one record.
     *
     * @throws IllegalArgumentException for bytes that are not such a record
     */
    public static Entry decode(byte[] key, byte[] value) {
        JsonNode k = read(key);
        JsonNode v = value == null ? null : read(value);
        String keytype = k.path("keytype").asText("");
        String subject = k.hasNonNull("subject") ? k.get("subject").asText() : null;
        try {
            return switch (keytype) {
                case "SCHEMA" -> new SchemaEntry(subject, k.path("version").asInt(), v == null ? null : schema(v));
                case "CONFIG" -> new ConfigEntry(subject, v == null || !v.hasNonNull("compatibilityLevel") ? null
                        : CompatibilityLevel.fromApi(v.get("compatibilityLevel").asText()));
                case "MODE" -> new ModeEntry(subject, v == null || !v.hasNonNull("mode") ? null : Mode.valueOf(v.get("mode").asText()));
                case "DELETE_SUBJECT" -> new DeleteSubjectEntry(subject, v == null ? 0 : v.path("version").asInt());
                default -> new Other(keytype);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a " + keytype + " record that does not decode: " + e.getMessage(), e);
        }
    }

    private static SchemaValue schema(JsonNode v) {
        List<SchemaReference> refs = new ArrayList<>();
        for (JsonNode r : v.path("references")) {
            refs.add(new SchemaReference(r.path("name").asText(), r.path("subject").asText(), r.path("version").asInt()));
        }
        if (!v.hasNonNull("schema") || !v.hasNonNull("subject")) {
            throw new IllegalArgumentException("a schema value without its subject or schema");
        }
        return new SchemaValue(v.get("subject").asText(), v.path("version").asInt(), v.path("id").asInt(),
                SchemaType.fromApi(v.path("schemaType").asText(null)), v.get("schema").asText(), refs,
                v.path("deleted").asBoolean(false));
    }

    private static JsonNode read(byte[] bytes) {
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a JSON object: " + new String(bytes, StandardCharsets.UTF_8));
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

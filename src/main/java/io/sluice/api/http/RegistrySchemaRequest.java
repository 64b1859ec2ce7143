package io.sluice.api.http;

import io.sluice.bus.RegistryCommand;
import io.sluice.schema.SchemaReference;
import io.sluice.schema.SchemaType;
import io.sluice.schema.registry.RegistryError;
import io.sluice.schema.registry.RegistryState;
import io.sluice.schema.registry.SchemasTopic.SchemaValue;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A schema as Confluent's registration, lookup and compatibility requests carry it
 * ({@code {"schema": "...", "schemaType": "AVRO", "references": [...], "id": 1, "version": 1}}), read
 * and checked for form; and the JSON Confluent answers a registered version or schema with.
 */
record RegistrySchemaRequest(String schema, String schemaType, List<SchemaReference> references, int id, int version) {

    static RegistrySchemaRequest of(JsonObject body) {
        Object schema = body.getValue("schema");
        if (!(schema instanceof String text) || text.isBlank()) {
            throw RegistryError.INVALID_SCHEMA.exception("Empty schema");
        }
        Object type = body.getValue("schemaType");
        if (type != null && !(type instanceof String)) {
            throw RegistryError.INVALID_SCHEMA.exception("Invalid schema: schemaType must be a string");
        }
        List<SchemaReference> refs = new ArrayList<>();
        Object references = body.getValue("references");
        if (references instanceof JsonArray array) {
            for (Object r : array) {
                if (!(r instanceof JsonObject ref) || !(ref.getValue("name") instanceof String name)
                        || !(ref.getValue("subject") instanceof String subject) || !(ref.getValue("version") instanceof Number v)) {
                    throw RegistryError.INVALID_SCHEMA.exception("Invalid schema: each reference needs a name, a subject and a version");
                }
                refs.add(new SchemaReference(name, subject, v.intValue()));
            }
        } else if (references != null) {
            throw RegistryError.INVALID_SCHEMA.exception("Invalid schema: references must be an array");
        }
        return new RegistrySchemaRequest(text, (String) type, refs, number(body, "id"), number(body, "version"));
    }

    private static int number(JsonObject body, String name) {
        Object v = body.getValue(name);
        if (v == null) {
            return RegistryCommand.NONE;
        }
        if (!(v instanceof Number n) || n.intValue() < 1) {
            throw RegistryError.BAD_REQUEST.exception("'" + name + "' must be a positive number");
        }
        return n.intValue();
    }

    /** The type it names (AVRO when none). */
    SchemaType type() {
        try {
            return SchemaType.fromApi(schemaType);
        } catch (IllegalArgumentException e) {
            throw RegistryError.INVALID_SCHEMA.exception("Invalid schema: unsupported schema type " + schemaType);
        }
    }

    RegistryCommand.Register register(String subject, boolean normalize) {
        return new RegistryCommand.Register(subject, type().name(), schema, references, id, version, normalize);
    }

    /** A registered version as Confluent answers it. */
    static JsonObject versionJson(SchemaValue v) {
        JsonObject o = new JsonObject().put("subject", v.subject()).put("version", v.version()).put("id", v.id());
        typeAndReferences(o, v.type(), v.references());
        return o.put("schema", v.schema());
    }

    /** A schema by id as Confluent answers it. */
    static JsonObject schemaJson(RegistryState.StoredSchema s) {
        JsonObject o = new JsonObject();
        typeAndReferences(o, s.type(), s.references());
        return o.put("schema", s.schema());
    }

    private static void typeAndReferences(JsonObject o, SchemaType type, List<SchemaReference> references) {
        if (type != SchemaType.AVRO) {
            o.put("schemaType", type.name());
        }
        if (!references.isEmpty()) {
            JsonArray refs = new JsonArray();
            for (SchemaReference r : references) {
                refs.add(new JsonObject().put("name", r.name()).put("subject", r.subject()).put("version", r.version()));
            }
            o.put("references", refs);
        }
    }
}

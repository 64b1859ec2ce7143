package io.sluice.bus;

import io.sluice.schema.SchemaReference;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A write to the schema registry, sent by any node to the node leading {@code _schemas}-0, which
 * orders every write (see {@code schema.registry.SchemasLeader}) and answers a {@link RegistryReply}.
 * The records hold what the client asked, checked for form by the node that took the request;
 * whether it may be done the leader decides.
 *
 * <p>Every permitted record travels with {@link RegistryCommandCodec}, registered by {@link BusCodecs}.
 */
public sealed interface RegistryCommand {
    /** For {@link Register#id}, {@link Register#version}: none given. */
    int NONE = -1;

    JsonObject toJson();

    /**
     * Registers a schema under {@code subject} ({@code POST /subjects/{s}/versions}); {@code id} and
     * {@code version} only in IMPORT mode.
     */
    record Register(String subject, String schemaType, String schema, List<SchemaReference> references, int id,
                    int version, boolean normalize) implements RegistryCommand {
        public Register {
            references = List.copyOf(references);
        }

        @Override
        public JsonObject toJson() {
            JsonArray refs = new JsonArray();
            for (SchemaReference r : references) {
                refs.add(new JsonObject().put("name", r.name()).put("subject", r.subject()).put("version", r.version()));
            }
            return new JsonObject().put("subject", subject).put("schemaType", schemaType).put("schema", schema)
                    .put("references", refs).put("id", id).put("version", version).put("normalize", normalize);
        }

        static Register fromJson(JsonObject o) {
            List<SchemaReference> refs = new ArrayList<>();
            for (Object r : o.getJsonArray("references")) {
                JsonObject ref = (JsonObject) r;
                refs.add(new SchemaReference(ref.getString("name"), ref.getString("subject"), ref.getInteger("version")));
            }
            return new Register(o.getString("subject"), o.getString("schemaType"), o.getString("schema"), refs,
                    o.getInteger("id"), o.getInteger("version"), o.getBoolean("normalize"));
        }
    }

    /** Deletes a subject, soft or (after a soft delete) permanently ({@code DELETE /subjects/{s}}). */
    record DeleteSubject(String subject, boolean permanent) implements RegistryCommand {
        @Override
        public JsonObject toJson() {
            return new JsonObject().put("subject", subject).put("permanent", permanent);
        }

        static DeleteSubject fromJson(JsonObject o) {
            return new DeleteSubject(o.getString("subject"), o.getBoolean("permanent"));
        }
    }

    /** Deletes one version ({@code -1}: the latest), soft or permanently. */
    record DeleteVersion(String subject, int version, boolean permanent) implements RegistryCommand {
        @Override
        public JsonObject toJson() {
            return new JsonObject().put("subject", subject).put("version", version).put("permanent", permanent);
        }

        static DeleteVersion fromJson(JsonObject o) {
            return new DeleteVersion(o.getString("subject"), o.getInteger("version"), o.getBoolean("permanent"));
        }
    }

    /** Sets ({@code level} non-null) or removes the compatibility of a subject or, with {@code subject} null, the global one. */
    record SetConfig(String subject, String level) implements RegistryCommand {
        @Override
        public JsonObject toJson() {
            return new JsonObject().put("subject", subject).put("level", level);
        }

        static SetConfig fromJson(JsonObject o) {
            return new SetConfig(o.getString("subject"), o.getString("level"));
        }
    }

    /** Sets ({@code mode} non-null) or removes the mode of a subject or the global one; {@code force} as Confluent's. */
    record SetMode(String subject, String mode, boolean force) implements RegistryCommand {
        @Override
        public JsonObject toJson() {
            return new JsonObject().put("subject", subject).put("mode", mode).put("force", force);
        }

        static SetMode fromJson(JsonObject o) {
            return new SetMode(o.getString("subject"), o.getString("mode"), o.getBoolean("force"));
        }
    }
}

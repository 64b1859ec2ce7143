package io.sluice.schema.registry;

import io.sluice.bus.RegistryCommand;
import io.sluice.bus.RegistryCommand.DeleteSubject;
import io.sluice.bus.RegistryCommand.DeleteVersion;
import io.sluice.bus.RegistryCommand.Register;
import io.sluice.bus.RegistryCommand.SetConfig;
import io.sluice.bus.RegistryCommand.SetMode;
import io.sluice.schema.CompatibilityLevel;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaType;
import io.sluice.schema.registry.SchemasTopic.SchemaValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The registry leader's decisions, as Confluent's registry makes them: each write command, on the
 * registry as the leader's copy holds it, becomes the {@link SchemasTopic} records to append and the
 * API's answer, or a {@link RegistryException} that refuses it (nothing appended). Ids are global:
 * content already registered under any subject keeps its id, new content gets the highest id plus
 * one (or, in IMPORT mode, the id given); versions count per subject. Decides only; the leader appends.
 */
final class RegistryCommands {
    /** One record for {@code _schemas}; a null value is a tombstone. */
    record Record(byte[] key, byte[] value) {
    }

    /** What a command appends and what the client is told once it is appended. */
    record Decision(List<Record> records, Object answer) {
    }

    private final RegistryState state;

    RegistryCommands(RegistryState state) {
        this.state = state;
    }

    Decision decide(RegistryCommand command) {
        if (command instanceof Register r) {
            return register(r);
        } else if (command instanceof DeleteSubject d) {
            return deleteSubject(d);
        } else if (command instanceof DeleteVersion d) {
            return deleteVersion(d);
        } else if (command instanceof SetConfig c) {
            return setConfig(c);
        } else if (command instanceof SetMode m) {
            return setMode(m);
        }
        throw new IllegalArgumentException("no registry command " + command);
    }

    private Decision register(Register r) {
        String subject = r.subject();
        Mode mode = state.effectiveMode(subject);
        if (mode == Mode.READONLY) {
            throw readOnly(subject);
        }
        if (r.id() != RegistryCommand.NONE && mode != Mode.IMPORT) {
            throw RegistryError.OPERATION_NOT_PERMITTED.exception("Subject " + subject + " is not in import mode");
        }
        SchemaType type = schemaType(r.schemaType());
        ParsedSchema parsed = state.parse(type, r.schema(), r.references());
        String text = r.schema();
        if (r.normalize()) {
            text = parsed.normalize().originalString();
            // (Parsed again from the text stored, so that its canonical form is the one a replay computes.)
            parsed = state.parse(type, text, r.references());
        }
        Integer sameContent = state.idOf(parsed);
        int id;
        int version;
        if (mode == Mode.IMPORT) {
            id = r.id() != RegistryCommand.NONE ? r.id() : sameContent != null ? sameContent : state.maxId() + 1;
            RegistryState.StoredSchema taken = state.schema(id);
            if (taken != null && (sameContent == null || sameContent != id)) {
                throw RegistryError.OPERATION_NOT_PERMITTED.exception("Overwrite new schema with id " + id + " is not permitted.");
            }
            version = r.version() != RegistryCommand.NONE ? r.version() : state.lastVersion(subject) + 1;
            SchemaValue existing = state.versionOrNull(subject, version, true);
            if (existing != null) {
                if (existing.id() == id) {
                    return new Decision(List.of(), Map.of("id", id));
                }
                throw RegistryError.OPERATION_NOT_PERMITTED.exception("Overwrite new schema for subject " + subject
                        + " version " + version + " is not permitted.");
            }
        } else {
            if (sameContent != null && state.versionWithId(subject, sameContent, false) != null) {
                return new Decision(List.of(), Map.of("id", sameContent));
            }
            List<String> messages = state.effectiveConfig(subject).check(parsed, previous(subject));
            if (!messages.isEmpty()) {
                throw RegistryError.INCOMPATIBLE_SCHEMA.exception("Schema being registered is incompatible with an earlier schema for subject \""
                        + subject + "\", details: " + messages);
            }
            id = sameContent != null ? sameContent : state.maxId() + 1;
            version = state.lastVersion(subject) + 1;
        }
        SchemaValue value = new SchemaValue(subject, version, id, type, text, r.references(), false);
        return new Decision(List.of(new Record(SchemasTopic.schemaKey(subject, version), SchemasTopic.schemaValue(value))),
                Map.of("id", id));
    }

    /** The subject's live versions, parsed, oldest first: what a new version's compatibility is checked against. */
    List<ParsedSchema> previous(String subject) {
        List<ParsedSchema> out = new ArrayList<>();
        for (SchemaValue v : state.versions(subject, false)) {
            out.add(state.parsedById(v.id()));
        }
        return out;
    }

    static SchemaType schemaType(String name) {
        try {
            return SchemaType.fromApi(name);
        } catch (IllegalArgumentException e) {
            throw RegistryError.INVALID_SCHEMA.exception("Invalid schema: unsupported schema type " + name);
        }
    }

    private Decision deleteSubject(DeleteSubject d) {
        String subject = d.subject();
        if (state.effectiveMode(subject) == Mode.READONLY) {
            throw readOnly(subject);
        }
        if (!state.exists(subject)) {
            throw subjectNotFound(subject);
        }
        List<SchemaValue> live = state.versions(subject, false);
        List<Record> records = new ArrayList<>();
        List<Integer> deleted = new ArrayList<>();
        if (d.permanent()) {
            if (!live.isEmpty()) {
                throw RegistryError.SUBJECT_NOT_SOFT_DELETED.exception("Subject '" + subject
                        + "' was not deleted first before being permanently deleted");
            }
            for (SchemaValue v : state.versions(subject, true)) {
                checkNotReferenced(v);
                records.add(new Record(SchemasTopic.schemaKey(subject, v.version()), null));
                deleted.add(v.version());
            }
            if (state.config(subject) != null) {
                records.add(new Record(SchemasTopic.configKey(subject), null));
            }
            if (state.mode(subject) != null) {
                records.add(new Record(SchemasTopic.modeKey(subject), null));
            }
        } else {
            if (live.isEmpty()) {
                throw RegistryError.SUBJECT_SOFT_DELETED.exception("Subject '" + subject
                        + "' was soft deleted.Set permanent=true to delete permanently");
            }
            for (SchemaValue v : live) {
                checkNotReferenced(v);
                records.add(new Record(SchemasTopic.schemaKey(subject, v.version()), SchemasTopic.schemaValue(v.deleted(true))));
                deleted.add(v.version());
            }
            records.add(new Record(SchemasTopic.deleteSubjectKey(subject),
                    SchemasTopic.deleteSubjectValue(subject, live.get(live.size() - 1).version())));
        }
        return new Decision(records, deleted);
    }

    private Decision deleteVersion(DeleteVersion d) {
        String subject = d.subject();
        if (state.effectiveMode(subject) == Mode.READONLY) {
            throw readOnly(subject);
        }
        if (!state.exists(subject)) {
            throw subjectNotFound(subject);
        }
        SchemaValue v = d.version() == -1 ? state.versionOrNull(subject, -1, false) : state.versionOrNull(subject, d.version(), true);
        if (v == null) {
            throw RegistryError.VERSION_NOT_FOUND.exception("Version " + (d.version() == -1 ? "latest" : d.version()) + " not found.");
        }
        checkNotReferenced(v);
        Record record;
        if (d.permanent()) {
            if (!v.deleted()) {
                throw RegistryError.SCHEMA_VERSION_NOT_SOFT_DELETED.exception("Subject '" + subject + "' Version " + v.version()
                        + " was not deleted first before being permanently deleted");
            }
            record = new Record(SchemasTopic.schemaKey(subject, v.version()), null);
        } else {
            if (v.deleted()) {
                throw RegistryError.SCHEMA_VERSION_SOFT_DELETED.exception("Subject '" + subject + "' Version " + v.version()
                        + " was soft deleted.Set permanent=true to delete permanently");
            }
            record = new Record(SchemasTopic.schemaKey(subject, v.version()), SchemasTopic.schemaValue(v.deleted(true)));
        }
        return new Decision(List.of(record), v.version());
    }

    private void checkNotReferenced(SchemaValue v) {
        if (!state.referencedBy(v.subject(), v.version()).isEmpty()) {
            throw RegistryError.REFERENCE_EXISTS.exception("One or more references exist to the schema {subject="
                    + v.subject() + ",version=" + v.version() + "}");
        }
    }

    private Decision setConfig(SetConfig c) {
        String subject = c.subject();
        if (state.effectiveMode(subject) == Mode.READONLY) {
            throw readOnly(subject == null ? "(global)" : subject);
        }
        if (c.level() != null) {
            CompatibilityLevel level = level(c.level());
            return new Decision(List.of(new Record(SchemasTopic.configKey(subject), SchemasTopic.configValue(level))),
                    Map.of("compatibility", level.name()));
        }
        CompatibilityLevel previous = state.config(subject);
        if (subject != null && previous == null) {
            if (!state.exists(subject)) {
                throw subjectNotFound(subject);
            }
            throw RegistryError.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED.exception("Subject '" + subject
                    + "' does not have subject-level compatibility configured");
        }
        return new Decision(List.of(new Record(SchemasTopic.configKey(subject), null)),
                Map.of("compatibilityLevel", (previous == null ? CompatibilityLevel.BACKWARD : previous).name()));
    }

    static CompatibilityLevel level(String name) {
        try {
            return CompatibilityLevel.fromApi(name.trim());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw RegistryError.INVALID_COMPATIBILITY_LEVEL.exception("Invalid compatibility level. Valid values are none, backward, "
                    + "forward, full, backward_transitive, forward_transitive, and full_transitive");
        }
    }

    private Decision setMode(SetMode m) {
        String subject = m.subject();
        if (m.mode() != null) {
            Mode mode = Mode.fromApi(m.mode());
            if (mode == Mode.IMPORT && !m.force()) {
                boolean hasSchemas = subject == null ? !state.empty() : !state.versions(subject, false).isEmpty();
                if (hasSchemas) {
                    throw RegistryError.OPERATION_NOT_PERMITTED.exception("Cannot import since found existing subjects");
                }
            }
            return new Decision(List.of(new Record(SchemasTopic.modeKey(subject), SchemasTopic.modeValue(mode))),
                    Map.of("mode", mode.name()));
        }
        Mode previous = state.mode(subject);
        if (subject != null && previous == null) {
            if (!state.exists(subject)) {
                throw subjectNotFound(subject);
            }
            throw RegistryError.SUBJECT_LEVEL_MODE_NOT_CONFIGURED.exception("Subject '" + subject
                    + "' does not have subject-level mode configured");
        }
        return new Decision(List.of(new Record(SchemasTopic.modeKey(subject), null)),
                Map.of("mode", (previous == null ? Mode.READWRITE : previous).name()));
    }

    static RegistryException subjectNotFound(String subject) {
        return RegistryError.SUBJECT_NOT_FOUND.exception("Subject '" + subject + "' not found.");
    }

    private static RegistryException readOnly(String subject) {
        return RegistryError.OPERATION_NOT_PERMITTED.exception("Subject " + subject + " is in read-only mode");
    }
}

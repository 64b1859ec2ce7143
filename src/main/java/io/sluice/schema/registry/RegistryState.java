package io.sluice.schema.registry;

import io.sluice.schema.CompatibilityLevel;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaProvider;
import io.sluice.schema.SchemaProviders;
import io.sluice.schema.SchemaReference;
import io.sluice.schema.SchemaType;
import io.sluice.schema.registry.SchemasTopic.SchemaValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's copy of the registry, built by applying the records of {@link SchemasTopic} in log
 * order ({@link #apply}): every subject's versions (soft-deleted ones marked), the schemas by
 * global id, which id identical content already has, configs and modes. Answers every read of
 * the API and what the leader decides writes on.
 *
 * <p>One writer (the node's tail of the topic) and readers on any event loop: every method holds
 * the object's lock for a few map operations; parsed schemas are cached per id in a concurrent map,
 * read without it.
 */
public final class RegistryState {
    private static final System.Logger LOG = System.getLogger(RegistryState.class.getName());

    /** A schema by its global id: the text first registered with it. */
    public record StoredSchema(int id, SchemaType type, String schema, List<SchemaReference> references) {
    }

    private final SchemaProviders providers;
    private final Map<Integer, StoredSchema> schemas = new HashMap<>();
    /** {@link #contentKey} to id: the same content under any subject gets the same id. */
    private final Map<String, Integer> idsByContent = new HashMap<>();
    private final Map<String, NavigableMap<Integer, SchemaValue>> subjects = new HashMap<>();
    /** Subject (the global one under the empty name) to its compatibility level or mode. */
    private final Map<String, CompatibilityLevel> configs = new HashMap<>();
    private final Map<String, Mode> modes = new HashMap<>();
    private final Map<Integer, ParsedSchema> parsed = new ConcurrentHashMap<>();
    private int maxId;

    public RegistryState(SchemaProviders providers) {
        this.providers = providers;
    }

    public SchemaProviders providers() {
        return providers;
    }

    // ---- applying records ----

    /** Forgets everything, for a replay from the start (the log this copy followed was cut below it). */
    public synchronized void clear() {
        schemas.clear();
        idsByContent.clear();
        subjects.clear();
        configs.clear();
        modes.clear();
        parsed.clear();
        maxId = 0;
    }

    public synchronized void apply(SchemasTopic.Entry entry) {
        if (entry instanceof SchemasTopic.SchemaEntry e) {
            applySchema(e);
        } else if (entry instanceof SchemasTopic.ConfigEntry e) {
            put(configs, e.subject(), e.level());
        } else if (entry instanceof SchemasTopic.ModeEntry e) {
            put(modes, e.subject(), e.mode());
        } else if (entry instanceof SchemasTopic.DeleteSubjectEntry e) {
            NavigableMap<Integer, SchemaValue> versions = subjects.get(e.subject());
            if (versions != null) {
                versions.replaceAll((v, value) -> v <= e.version() ? value.deleted(true) : value);
            }
        }
    }

    private static <T> void put(Map<String, T> map, String subject, T value) {
        String key = subject == null ? "" : subject;
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    private void applySchema(SchemasTopic.SchemaEntry e) {
        if (e.value() == null) {
            NavigableMap<Integer, SchemaValue> versions = subjects.get(e.subject());
            if (versions == null) {
                return;
            }
            SchemaValue gone = versions.remove(e.version());
            if (versions.isEmpty()) {
                subjects.remove(e.subject());
            }
            if (gone != null && !inUse(gone.id())) {
                StoredSchema s = schemas.remove(gone.id());
                parsed.remove(gone.id());
                idsByContent.values().removeIf(id -> id == gone.id());
                LOG.log(System.Logger.Level.DEBUG, "schema " + (s == null ? gone.id() : s.id()) + " is no longer registered");
            }
            return;
        }
        SchemaValue v = e.value();
        subjects.computeIfAbsent(e.subject(), s -> new TreeMap<>()).put(e.version(), v);
        maxId = Math.max(maxId, v.id());
        if (!schemas.containsKey(v.id())) {
            schemas.put(v.id(), new StoredSchema(v.id(), v.type(), v.schema(), v.references()));
            idsByContent.putIfAbsent(contentKeyOf(v.id(), v.type(), v.schema(), v.references()), v.id());
        }
    }

    private boolean inUse(int id) {
        for (NavigableMap<Integer, SchemaValue> versions : subjects.values()) {
            for (SchemaValue v : versions.values()) {
                if (v.id() == id) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The content key of a stored schema: its canonical string when it parses here, else its text. */
    private String contentKeyOf(int id, SchemaType type, String schema, List<SchemaReference> refs) {
        try {
            ParsedSchema p = parseLocked(type, schema, refs);
            parsed.put(id, p);
            return contentKey(p);
        } catch (RuntimeException ex) {
            // (A type this node has no provider for yet: its text stands for its content.)
            return type + "\u0000" + schema + "\u0000" + refs;
        }
    }

    /** What two registrations share when they are the same schema: type, canonical text, references. */
    public static String contentKey(ParsedSchema p) {
        return p.type() + "\u0000" + p.canonicalString() + "\u0000" + p.references();
    }

    // ---- parsing ----

    /**
     * Parses {@code schema} with its references resolved against the registered versions.
     *
     * @throws RegistryException 42201 for an unknown type, a text that does not parse or a reference
     *                           that does not resolve
     */
    public synchronized ParsedSchema parse(SchemaType type, String schema, List<SchemaReference> references) {
        return parseLocked(type, schema, references);
    }

    private ParsedSchema parseLocked(SchemaType type, String schema, List<SchemaReference> references) {
        SchemaProvider provider = providers.get(type);
        if (provider == null) {
            throw RegistryError.INVALID_SCHEMA.exception("Invalid schema: unsupported schema type " + type);
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        resolve(references, resolved, new java.util.HashSet<>());
        try {
            return provider.parse(schema, references, resolved);
        } catch (InvalidSchemaException e) {
            throw RegistryError.INVALID_SCHEMA.exception(e.getMessage());
        }
    }

    /** Every schema reachable from {@code references}, dependencies first, by the name its referrer uses. */
    private void resolve(List<SchemaReference> references, Map<String, String> resolved, java.util.Set<String> visiting) {
        for (SchemaReference r : references) {
            if (r.name() == null || r.subject() == null) {
                throw RegistryError.INVALID_SCHEMA.exception("Invalid schema: a reference needs a name, a subject and a version");
            }
            String key = r.subject() + "/" + r.version();
            if (resolved.containsKey(r.name()) || !visiting.add(key)) {
                continue;
            }
            SchemaValue target = versionOrNull(r.subject(), r.version(), true);
            if (target == null) {
                throw RegistryError.INVALID_SCHEMA.exception("Invalid schema: reference " + r.name() + " names subject '"
                        + r.subject() + "' version " + r.version() + ", which is not registered");
            }
            resolve(target.references(), resolved, visiting);
            resolved.put(r.name(), target.schema());
        }
    }

    /** The parsed schema of {@code id} (cached), or null when no such id is registered. */
    public ParsedSchema parsedById(int id) {
        ParsedSchema p = parsed.get(id);
        if (p != null) {
            return p;
        }
        synchronized (this) {
            StoredSchema s = schemas.get(id);
            if (s == null) {
                return null;
            }
            p = parseLocked(s.type(), s.schema(), s.references());
            parsed.put(id, p);
            return p;
        }
    }

    // ---- reads ----

    public synchronized int maxId() {
        return maxId;
    }

    public synchronized StoredSchema schema(int id) {
        return schemas.get(id);
    }

    /** The id of a schema with {@code p}'s content, or null. */
    public synchronized Integer idOf(ParsedSchema p) {
        return idsByContent.get(contentKey(p));
    }

    /** Subjects with a live version (or, with {@code deleted}, any version), in name order. */
    public synchronized List<String> subjects(boolean deleted, String prefix) {
        TreeSet<String> out = new TreeSet<>();
        subjects.forEach((s, versions) -> {
            if ((prefix == null || s.startsWith(prefix)) && versions.values().stream().anyMatch(v -> deleted || !v.deleted())) {
                out.add(s);
            }
        });
        return new ArrayList<>(out);
    }

    /** Whether the subject has any version at all, soft-deleted ones included. */
    public synchronized boolean exists(String subject) {
        return subjects.containsKey(subject);
    }

    /** The subject's versions, oldest first; soft-deleted ones only with {@code deleted}. */
    public synchronized List<SchemaValue> versions(String subject, boolean deleted) {
        NavigableMap<Integer, SchemaValue> versions = subjects.get(subject);
        if (versions == null) {
            return List.of();
        }
        return versions.values().stream().filter(v -> deleted || !v.deleted()).toList();
    }

    /** Version {@code version} of the subject ({@code -1}: the latest), or null. */
    public synchronized SchemaValue versionOrNull(String subject, int version, boolean deleted) {
        NavigableMap<Integer, SchemaValue> versions = subjects.get(subject);
        if (versions == null) {
            return null;
        }
        if (version == -1) {
            for (SchemaValue v : versions.descendingMap().values()) {
                if (deleted || !v.deleted()) {
                    return v;
                }
            }
            return null;
        }
        SchemaValue v = versions.get(version);
        return v == null || (v.deleted() && !deleted) ? null : v;
    }

    /** The highest version number the subject has ever had that is still stored (0: none). */
    public synchronized int lastVersion(String subject) {
        NavigableMap<Integer, SchemaValue> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
    }

    /** The subject's version holding schema {@code id}, or null. */
    public synchronized SchemaValue versionWithId(String subject, int id, boolean deleted) {
        NavigableMap<Integer, SchemaValue> versions = subjects.get(subject);
        if (versions == null) {
            return null;
        }
        for (SchemaValue v : versions.values()) {
            if (v.id() == id && (deleted || !v.deleted())) {
                return v;
            }
        }
        return null;
    }

    /** Every (subject, version) holding schema {@code id}, subjects in name order. */
    public synchronized List<SchemaValue> usesOf(int id, boolean deleted) {
        List<SchemaValue> out = new ArrayList<>();
        new TreeMap<>(subjects).forEach((s, versions) -> {
            for (SchemaValue v : versions.values()) {
                if (v.id() == id && (deleted || !v.deleted())) {
                    out.add(v);
                }
            }
        });
        return out;
    }

    /** The ids of the live versions whose references name {@code subject} version {@code version}. */
    public synchronized List<Integer> referencedBy(String subject, int version) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (NavigableMap<Integer, SchemaValue> versions : subjects.values()) {
            for (SchemaValue v : versions.values()) {
                if (!v.deleted() && v.references().stream().anyMatch(r -> r.subject().equals(subject) && r.version() == version)) {
                    ids.add(v.id());
                }
            }
        }
        return new ArrayList<>(ids);
    }

    /** The subject's own level (null: global) — or with subject null, the global one, null when not set. */
    public synchronized CompatibilityLevel config(String subject) {
        return configs.get(subject == null ? "" : subject);
    }

    /** The level that applies to the subject: its own, else the global one, else BACKWARD. */
    public synchronized CompatibilityLevel effectiveConfig(String subject) {
        CompatibilityLevel l = subject == null ? null : configs.get(subject);
        if (l == null) {
            l = configs.get("");
        }
        return l == null ? CompatibilityLevel.BACKWARD : l;
    }

    public synchronized Mode mode(String subject) {
        return modes.get(subject == null ? "" : subject);
    }

    /** The mode that applies to the subject: its own, else the global one, else READWRITE. */
    public synchronized Mode effectiveMode(String subject) {
        Mode m = subject == null ? null : modes.get(subject);
        if (m == null) {
            m = modes.get("");
        }
        return m == null ? Mode.READWRITE : m;
    }

    /** Subjects with at least one live (not soft-deleted) version, for {@code /metrics}. */
    public synchronized int liveSubjectCount() {
        int n = 0;
        for (NavigableMap<Integer, SchemaValue> versions : subjects.values()) {
            if (versions.values().stream().anyMatch(v -> !v.deleted())) {
                n++;
            }
        }
        return n;
    }

    /** Schemas (distinct ids) registered, for {@code /metrics}. */
    public synchronized int schemaCount() {
        return schemas.size();
    }

    /** Whether any version (soft-deleted ones too) is registered. */
    public synchronized boolean empty() {
        return subjects.isEmpty();
    }
}

package io.sluice.schema.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schema.json.JsonSchemaShape.Doc;
import io.sluice.schema.json.JsonSchemaShape.Kind;
import io.sluice.schema.json.JsonSchemaShape.Located;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The JSON Schema diff walker: compares a writer's schema (the original) with a reader's (the
 * update) keyword by keyword, the way Confluent's registry does, and reports every change that
 * breaks compatibility with the path where it was found. Whether a change breaks compatibility is {@link JsonSchemaChange}'s
 * business; the walker only needs it where a choice depends on whether a sub-comparison is
 * compatible (combined branches, {@code not}, partially open content models).
 */
final class JsonSchemaDiff {

    static final int MAX_KEPT = 100;

    private final Deque<String> path = new ArrayDeque<>();
    private final List<JsonSchemaDifference> differences = new ArrayList<>();
    /** Pairs under comparison higher up: a recursive schema meeting itself again is taken as unchanged. */
    private final Set<List<Object>> inProgress;
    /**
     * Each pair's differences, relative to the pair: oneOf/anyOf compare every old branch with every
     * new one, and without this, nested or mutually referring combinations cost exponential time.
     */
    private final Map<List<Object>, List<JsonSchemaDifference>> memo;

    private JsonSchemaDiff(Set<List<Object>> inProgress, Map<List<Object>, List<JsonSchemaDifference>> memo) {
        this.inProgress = inProgress;
        this.memo = memo;
    }

    static List<JsonSchemaDifference> compare(JsonSchemaDocuments writer, JsonSchemaDocuments reader) {
        JsonSchemaDiff ctx = new JsonSchemaDiff(new HashSet<>(), new HashMap<>());
        ctx.compare(JsonSchemaShape.of(root(writer)), JsonSchemaShape.of(root(reader)));
        return ctx.differences;
    }

    private static Located root(JsonSchemaDocuments documents) {
        return new Located(documents.root(), new Doc(documents.root(), documents.baseIri(), documents));
    }

    // ---- context ----

    private JsonSchemaDiff sub() {
        JsonSchemaDiff s = new JsonSchemaDiff(inProgress, memo);
        s.path.addAll(path);
        return s;
    }

    private boolean compatible() {
        for (JsonSchemaDifference d : differences) {
            if (!d.change().compatible()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Keeps a difference if it breaks compatibility: compatible ones decide nothing (a comparison is
     * compatible when it found no incompatible one) and are never reported. A schema that reaches one
     * definition along many paths would report one change once per path, so each comparison keeps at
     * most {@link #MAX_KEPT}.
     */
    private void record(JsonSchemaDifference d) {
        if (!d.change().compatible() && differences.size() < MAX_KEPT) {
            differences.add(d);
        }
    }

    private void recordAll(List<JsonSchemaDifference> ds) {
        for (JsonSchemaDifference d : ds) {
            record(d);
        }
    }

    private void add(JsonSchemaChange change) {
        record(new JsonSchemaDifference(change, "#/" + String.join("/", path)));
    }

    private void add(String keyword, JsonSchemaChange change) {
        path.addLast(keyword);
        add(change);
        path.removeLast();
    }

    private void enter(String segment) {
        path.addLast(segment);
    }

    private void leave() {
        path.removeLast();
    }

    // ---- schemas ----

    private void compare(JsonSchemaShape original, JsonSchemaShape update) {
        if (original == null && update == null) {
            return;
        }
        if (original == null) {
            add(JsonSchemaChange.SCHEMA_ADDED);
            return;
        }
        if (update == null) {
            add(JsonSchemaChange.SCHEMA_REMOVED);
            return;
        }
        if (original.kind != Kind.COMBINED && update.kind == Kind.COMBINED) {
            // A value kind that became one branch of a union (or a one-branch combination) is still readable.
            if (update.branches.size() == 1) {
                if (takeIfCompatible(original, update.branches.get(0))) {
                    return;
                }
            } else if (!update.criterion.equals("allOf")) {
                for (JsonSchemaShape branch : update.branches) {
                    if (takeIfCompatible(original, branch)) {
                        add(JsonSchemaChange.SUM_TYPE_EXTENDED);
                        return;
                    }
                }
            }
        } else if (original.kind == Kind.COMBINED && update.kind != Kind.COMBINED && original.branches.size() == 1) {
            if (takeIfCompatible(original.branches.get(0), update)) {
                return;
            }
        }
        if (original.kind != update.kind) {
            // Nothing is written with "false"; everything is read with "true"/{}.
            if (original.kind != Kind.FALSE && update.kind != Kind.EMPTY) {
                add(JsonSchemaChange.TYPE_CHANGED);
            }
            return;
        }
        List<Object> pair = List.of(original.identity(), update.identity());
        List<JsonSchemaDifference> known = memo.get(pair);
        if (known == null) {
            if (!inProgress.add(pair)) {
                return;
            }
            try {
                JsonSchemaDiff fresh = new JsonSchemaDiff(inProgress, memo);
                fresh.compareSameKind(original, update);
                known = List.copyOf(fresh.differences);
                memo.put(pair, known);
            } finally {
                inProgress.remove(pair);
            }
        }
        String prefix = "#/" + String.join("/", path);
        for (JsonSchemaDifference d : known) {
            String relative = d.path().substring(2);
            String at = relative.isEmpty() ? prefix : path.isEmpty() ? "#/" + relative : prefix + "/" + relative;
            record(new JsonSchemaDifference(d.change(), at));
        }
    }

    private void compareSameKind(JsonSchemaShape original, JsonSchemaShape update) {
        switch (original.kind) {
            case STRING -> compareString(original, update);
            case NUMBER -> compareNumber(original, update);
            case ENUM -> compareEnum(original, update);
            case CONST -> {
                if (!Objects.equals(original.keyword("const"), update.keyword("const"))) {
                    add("const", JsonSchemaChange.ENUM_ARRAY_CHANGED);
                }
            }
            case COMBINED -> compareCombined(original, update);
            case NOT -> compareNot(original, update);
            case OBJECT -> compareObject(original, update);
            case ARRAY -> compareArray(original, update);
            default -> {
                // FALSE, EMPTY, BOOLEAN, NULL: nothing more to constrain.
            }
        }
    }

    private boolean takeIfCompatible(JsonSchemaShape original, JsonSchemaShape update) {
        JsonSchemaDiff s = sub();
        s.compare(original, update);
        if (s.compatible()) {
            recordAll(s.differences);
            return true;
        }
        return false;
    }

    private void compare(Located original, Located update) {
        compare(JsonSchemaShape.of(original), JsonSchemaShape.of(update));
    }

    // ---- strings and numbers ----

    private void compareString(JsonSchemaShape o, JsonSchemaShape u) {
        bound("maxLength", number(o, "maxLength"), number(u, "maxLength"), JsonSchemaChange.MAX_LENGTH_ADDED,
                JsonSchemaChange.MAX_LENGTH_REMOVED, JsonSchemaChange.MAX_LENGTH_INCREASED, JsonSchemaChange.MAX_LENGTH_DECREASED);
        bound("minLength", number(o, "minLength"), number(u, "minLength"), JsonSchemaChange.MIN_LENGTH_ADDED,
                JsonSchemaChange.MIN_LENGTH_REMOVED, JsonSchemaChange.MIN_LENGTH_INCREASED, JsonSchemaChange.MIN_LENGTH_DECREASED);
        String op = text(o, "pattern");
        String up = text(u, "pattern");
        if (op == null && up != null) {
            add("pattern", JsonSchemaChange.PATTERN_ADDED);
        } else if (op != null && up == null) {
            add("pattern", JsonSchemaChange.PATTERN_REMOVED);
        } else if (op != null && !op.equals(up)) {
            add("pattern", JsonSchemaChange.PATTERN_CHANGED);
        }
    }

    private void compareNumber(JsonSchemaShape o, JsonSchemaShape u) {
        Limits ol = Limits.of(o);
        Limits ul = Limits.of(u);
        bound("maximum", ol.maximum, ul.maximum, JsonSchemaChange.MAXIMUM_ADDED, JsonSchemaChange.MAXIMUM_REMOVED,
                JsonSchemaChange.MAXIMUM_INCREASED, JsonSchemaChange.MAXIMUM_DECREASED);
        bound("minimum", ol.minimum, ul.minimum, JsonSchemaChange.MINIMUM_ADDED, JsonSchemaChange.MINIMUM_REMOVED,
                JsonSchemaChange.MINIMUM_INCREASED, JsonSchemaChange.MINIMUM_DECREASED);
        bound("exclusiveMaximum", ol.exclusiveMaximum, ul.exclusiveMaximum, JsonSchemaChange.EXCLUSIVE_MAXIMUM_ADDED,
                JsonSchemaChange.EXCLUSIVE_MAXIMUM_REMOVED, JsonSchemaChange.EXCLUSIVE_MAXIMUM_INCREASED,
                JsonSchemaChange.EXCLUSIVE_MAXIMUM_DECREASED);
        bound("exclusiveMinimum", ol.exclusiveMinimum, ul.exclusiveMinimum, JsonSchemaChange.EXCLUSIVE_MINIMUM_ADDED,
                JsonSchemaChange.EXCLUSIVE_MINIMUM_REMOVED, JsonSchemaChange.EXCLUSIVE_MINIMUM_INCREASED,
                JsonSchemaChange.EXCLUSIVE_MINIMUM_DECREASED);
        BigDecimal om = number(o, "multipleOf");
        BigDecimal um = number(u, "multipleOf");
        if (om == null && um != null) {
            add("multipleOf", JsonSchemaChange.MULTIPLE_OF_ADDED);
        } else if (om != null && um == null) {
            add("multipleOf", JsonSchemaChange.MULTIPLE_OF_REMOVED);
        } else if (om != null && om.compareTo(um) != 0) {
            if (om.signum() != 0 && um.remainder(om).signum() == 0) {
                add("multipleOf", JsonSchemaChange.MULTIPLE_OF_EXPANDED);
            } else if (um.signum() != 0 && om.remainder(um).signum() == 0) {
                add("multipleOf", JsonSchemaChange.MULTIPLE_OF_REDUCED);
            } else {
                add("multipleOf", JsonSchemaChange.MULTIPLE_OF_CHANGED);
            }
        }
        if (o.integer != u.integer) {
            add(o.integer ? JsonSchemaChange.TYPE_EXTENDED : JsonSchemaChange.TYPE_NARROWED);
        }
    }

    /** The numeric limits, with draft 4's boolean exclusiveMaximum/Minimum read as exclusive limits. */
    private record Limits(BigDecimal maximum, BigDecimal minimum, BigDecimal exclusiveMaximum, BigDecimal exclusiveMinimum) {
        static Limits of(JsonSchemaShape s) {
            BigDecimal max = number(s, "maximum");
            BigDecimal min = number(s, "minimum");
            BigDecimal exMax = number(s, "exclusiveMaximum");
            BigDecimal exMin = number(s, "exclusiveMinimum");
            JsonNode exMaxFlag = s.keyword("exclusiveMaximum");
            if (exMaxFlag != null && exMaxFlag.isBoolean() && exMaxFlag.asBoolean() && max != null) {
                exMax = max;
                max = null;
            }
            JsonNode exMinFlag = s.keyword("exclusiveMinimum");
            if (exMinFlag != null && exMinFlag.isBoolean() && exMinFlag.asBoolean() && min != null) {
                exMin = min;
                min = null;
            }
            return new Limits(max, min, exMax, exMin);
        }
    }

    private void bound(String keyword, BigDecimal o, BigDecimal u, JsonSchemaChange added, JsonSchemaChange removed,
                       JsonSchemaChange increased, JsonSchemaChange decreased) {
        if (o == null && u == null) {
            return;
        }
        if (o == null) {
            add(keyword, added);
        } else if (u == null) {
            add(keyword, removed);
        } else if (o.compareTo(u) < 0) {
            add(keyword, increased);
        } else if (o.compareTo(u) > 0) {
            add(keyword, decreased);
        }
    }

    private static BigDecimal number(JsonSchemaShape s, String keyword) {
        JsonNode n = s.keyword(keyword);
        return n != null && n.isNumber() ? n.decimalValue() : null;
    }

    private static String text(JsonSchemaShape s, String keyword) {
        JsonNode n = s.keyword(keyword);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    // ---- enum, not, combinations ----

    private void compareEnum(JsonSchemaShape o, JsonSchemaShape u) {
        Set<JsonNode> ov = values(o.keyword("enum"));
        Set<JsonNode> uv = values(u.keyword("enum"));
        if (ov.equals(uv)) {
            return;
        }
        if (uv.containsAll(ov)) {
            add("enum", JsonSchemaChange.ENUM_ARRAY_EXTENDED);
        } else if (ov.containsAll(uv)) {
            add("enum", JsonSchemaChange.ENUM_ARRAY_NARROWED);
        } else {
            add("enum", JsonSchemaChange.ENUM_ARRAY_CHANGED);
        }
    }

    private static Set<JsonNode> values(JsonNode array) {
        Set<JsonNode> values = new LinkedHashSet<>();
        if (array != null) {
            array.forEach(values::add);
        }
        return values;
    }

    private void compareNot(JsonSchemaShape o, JsonSchemaShape u) {
        enter("not");
        // What the old schema excluded must stay excluded: compare the negated schemas the other way round.
        JsonSchemaDiff s = sub();
        s.compare(u.child(u.keyword("not")), o.child(o.keyword("not")));
        add(s.compatible() ? JsonSchemaChange.NOT_TYPE_NARROWED : JsonSchemaChange.NOT_TYPE_EXTENDED);
        leave();
    }

    private void compareCombined(JsonSchemaShape o, JsonSchemaShape u) {
        JsonSchemaChange criterionChange = criterionChange(o, u);
        if (criterionChange != null) {
            add(criterionChange);
            if (criterionChange == JsonSchemaChange.COMBINED_TYPE_CHANGED) {
                return;
            }
        }
        List<JsonSchemaShape> ob = new ArrayList<>(new LinkedHashSet<>(o.branches));
        List<JsonSchemaShape> ub = new ArrayList<>(new LinkedHashSet<>(u.branches));
        boolean product = u.criterion.equals("allOf");
        if (ob.size() < ub.size()) {
            add(product ? JsonSchemaChange.PRODUCT_TYPE_EXTENDED : JsonSchemaChange.SUM_TYPE_EXTENDED);
        } else if (ob.size() > ub.size()) {
            add(product ? JsonSchemaChange.PRODUCT_TYPE_NARROWED : JsonSchemaChange.SUM_TYPE_NARROWED);
        }
        // Which old branch can be read as which new one; then the largest pairing of them.
        List<List<List<JsonSchemaDifference>>> edges = new ArrayList<>();
        for (int i = 0; i < ob.size(); i++) {
            enter(o.criterion + "/" + i);
            List<List<JsonSchemaDifference>> row = new ArrayList<>();
            for (JsonSchemaShape candidate : ub) {
                JsonSchemaDiff s = sub();
                s.compare(ob.get(i), candidate);
                row.add(s.compatible() ? s.differences : null);
            }
            edges.add(row);
            leave();
        }
        int[] match = BipartiteMatching.maximum(ob.size(), ub.size(), (i, j) -> edges.get(i).get(j) != null);
        int matched = 0;
        for (int i = 0; i < match.length; i++) {
            if (match[i] >= 0) {
                recordAll(edges.get(i).get(match[i]));
                matched++;
            }
        }
        if (matched < Math.min(ob.size(), ub.size())) {
            add(JsonSchemaChange.COMBINED_TYPE_SUBSCHEMAS_CHANGED);
        }
    }

    private static JsonSchemaChange criterionChange(JsonSchemaShape o, JsonSchemaShape u) {
        if (o.criterion.equals(u.criterion)) {
            return null;
        }
        return switch (u.criterion) {
            case "anyOf" -> JsonSchemaChange.COMBINED_TYPE_EXTENDED;
            case "oneOf" -> o.branches.size() == 1 ? JsonSchemaChange.COMBINED_TYPE_EXTENDED
                    : JsonSchemaChange.COMBINED_TYPE_CHANGED;
            default -> o.branches.size() == 1 && u.branches.size() == 1 ? JsonSchemaChange.COMBINED_TYPE_EXTENDED
                    : JsonSchemaChange.COMBINED_TYPE_CHANGED;
        };
    }

    // ---- objects ----

    private void compareObject(JsonSchemaShape o, JsonSchemaShape u) {
        ObjectModel om = ObjectModel.of(o);
        ObjectModel um = ObjectModel.of(u);
        compareRequired(om, um);
        compareProperties(om, um);
        compareDependencies(om, um);
        compareAdditionalProperties(om, um);
        bound("maxProperties", number(o, "maxProperties"), number(u, "maxProperties"),
                JsonSchemaChange.MAX_PROPERTIES_ADDED, JsonSchemaChange.MAX_PROPERTIES_REMOVED,
                JsonSchemaChange.MAX_PROPERTIES_INCREASED, JsonSchemaChange.MAX_PROPERTIES_DECREASED);
        bound("minProperties", number(o, "minProperties"), number(u, "minProperties"),
                JsonSchemaChange.MIN_PROPERTIES_ADDED, JsonSchemaChange.MIN_PROPERTIES_REMOVED,
                JsonSchemaChange.MIN_PROPERTIES_INCREASED, JsonSchemaChange.MIN_PROPERTIES_DECREASED);
    }

    private void compareRequired(ObjectModel o, ObjectModel u) {
        enter("required");
        for (String key : o.properties.keySet()) {
            if (!u.properties.containsKey(key)) {
                continue;
            }
            boolean wasRequired = o.required.contains(key);
            boolean isRequired = u.required.contains(key);
            if (wasRequired && !isRequired) {
                add(key, JsonSchemaChange.REQUIRED_ATTRIBUTE_REMOVED);
            } else if (!wasRequired && isRequired) {
                add(key, u.hasDefault(key) ? JsonSchemaChange.REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED
                        : JsonSchemaChange.REQUIRED_ATTRIBUTE_ADDED);
            }
        }
        leave();
    }

    private void compareProperties(ObjectModel o, ObjectModel u) {
        enter("properties");
        Set<String> keys = new TreeSet<>(o.properties.keySet());
        keys.addAll(u.properties.keySet());
        for (String key : keys) {
            enter(key);
            Located os = o.properties.get(key);
            Located us = u.properties.get(key);
            if (us == null) {
                propertyRemoved(key, os, u);
            } else if (os == null) {
                propertyAdded(key, us, o, u);
            } else {
                compare(os, us);
            }
            leave();
        }
        leave();
    }

    /** Data written with the property must still pass the reader, which no longer declares it. */
    private void propertyRemoved(String key, Located written, ObjectModel reader) {
        if (reader.isOpen()) {
            add(JsonSchemaChange.PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL);
            return;
        }
        Located cover = reader.partiallyOpenSchemaFor(key);
        if (cover != null) {
            JsonSchemaDiff s = sub();
            s.compare(written, cover);
            recordAll(s.differences);
            add(s.compatible() ? JsonSchemaChange.PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                    : JsonSchemaChange.PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL);
        } else if (JsonSchemaShape.of(written).kind == Kind.FALSE) {
            add(JsonSchemaChange.PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL);
        } else {
            add(JsonSchemaChange.PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL);
        }
    }

    /** Data written before the property existed may carry it anyway, unless the writer's model forbade it. */
    private void propertyAdded(String key, Located read, ObjectModel writer, ObjectModel reader) {
        if (writer.isOpen()) {
            add(JsonSchemaShape.of(read).kind == Kind.EMPTY
                    ? JsonSchemaChange.PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
                    : JsonSchemaChange.PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL);
            return;
        }
        Located cover = writer.partiallyOpenSchemaFor(key);
        if (cover != null) {
            JsonSchemaDiff s = sub();
            s.compare(cover, read);
            recordAll(s.differences);
            add(s.compatible() ? JsonSchemaChange.PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                    : JsonSchemaChange.PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL);
        }
        if (reader.required.contains(key)) {
            add(reader.hasDefault(key) ? JsonSchemaChange.REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL
                    : JsonSchemaChange.REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL);
        } else {
            add(JsonSchemaChange.OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL);
        }
    }

    private void compareDependencies(ObjectModel o, ObjectModel u) {
        enter("dependencies");
        Set<String> keys = new TreeSet<>(o.propertyDependencies.keySet());
        keys.addAll(u.propertyDependencies.keySet());
        for (String key : keys) {
            Set<String> od = o.propertyDependencies.get(key);
            Set<String> ud = u.propertyDependencies.get(key);
            if (ud == null) {
                add(key, JsonSchemaChange.DEPENDENCY_ARRAY_REMOVED);
            } else if (od == null) {
                add(key, JsonSchemaChange.DEPENDENCY_ARRAY_ADDED);
            } else if (!od.equals(ud)) {
                add(key, ud.containsAll(od) ? JsonSchemaChange.DEPENDENCY_ARRAY_EXTENDED
                        : od.containsAll(ud) ? JsonSchemaChange.DEPENDENCY_ARRAY_NARROWED
                        : JsonSchemaChange.DEPENDENCY_ARRAY_CHANGED);
            }
        }
        keys = new TreeSet<>(o.schemaDependencies.keySet());
        keys.addAll(u.schemaDependencies.keySet());
        for (String key : keys) {
            Located os = o.schemaDependencies.get(key);
            Located us = u.schemaDependencies.get(key);
            if (us == null) {
                add(key, JsonSchemaChange.DEPENDENCY_SCHEMA_REMOVED);
            } else if (os == null) {
                add(key, JsonSchemaChange.DEPENDENCY_SCHEMA_ADDED);
            } else {
                enter(key);
                compare(os, us);
                leave();
            }
        }
        leave();
    }

    private void compareAdditionalProperties(ObjectModel o, ObjectModel u) {
        enter("additionalProperties");
        if (o.permitsAdditional != u.permitsAdditional) {
            add(u.permitsAdditional ? JsonSchemaChange.ADDITIONAL_PROPERTIES_ADDED
                    : JsonSchemaChange.ADDITIONAL_PROPERTIES_REMOVED);
        } else if (o.additionalSchema == null && u.additionalSchema != null) {
            add(JsonSchemaChange.ADDITIONAL_PROPERTIES_NARROWED);
        } else if (o.additionalSchema != null && u.additionalSchema == null) {
            add(JsonSchemaChange.ADDITIONAL_PROPERTIES_EXTENDED);
        } else if (o.additionalSchema != null) {
            compare(o.additionalSchema, u.additionalSchema);
        }
        leave();
    }

    /** An object schema's keywords, read once. */
    private static final class ObjectModel {
        final Map<String, Located> properties = new LinkedHashMap<>();
        final Set<String> required = new HashSet<>();
        final Map<String, Located> patternProperties = new LinkedHashMap<>();
        final Map<String, Set<String>> propertyDependencies = new LinkedHashMap<>();
        final Map<String, Located> schemaDependencies = new LinkedHashMap<>();
        boolean permitsAdditional = true;
        Located additionalSchema;

        static ObjectModel of(JsonSchemaShape s) {
            ObjectModel m = new ObjectModel();
            JsonNode props = s.keyword("properties");
            if (props != null && props.isObject()) {
                props.fields().forEachRemaining(e -> m.properties.put(e.getKey(), s.child(e.getValue())));
            }
            JsonNode req = s.keyword("required");
            if (req != null && req.isArray()) {
                req.forEach(r -> m.required.add(r.asText()));
            }
            JsonNode patterns = s.keyword("patternProperties");
            if (patterns != null && patterns.isObject()) {
                patterns.fields().forEachRemaining(e -> m.patternProperties.put(e.getKey(), s.child(e.getValue())));
            }
            for (String keyword : List.of("dependencies", "dependentRequired", "dependentSchemas")) {
                JsonNode deps = s.keyword(keyword);
                if (deps == null || !deps.isObject()) {
                    continue;
                }
                deps.fields().forEachRemaining(e -> {
                    if (e.getValue().isArray()) {
                        Set<String> names = new TreeSet<>();
                        e.getValue().forEach(v -> names.add(v.asText()));
                        m.propertyDependencies.put(e.getKey(), names);
                    } else {
                        m.schemaDependencies.put(e.getKey(), s.child(e.getValue()));
                    }
                });
            }
            JsonNode additional = s.keyword("additionalProperties");
            if (additional != null && additional.isBoolean()) {
                m.permitsAdditional = additional.asBoolean();
            } else if (additional != null && additional.isObject()) {
                m.additionalSchema = s.child(additional);
            }
            return m;
        }

        boolean isOpen() {
            return patternProperties.isEmpty() && additionalSchema == null && permitsAdditional;
        }

        /** The schema an undeclared property of that name falls under: a matching pattern, else additionalProperties. */
        Located partiallyOpenSchemaFor(String key) {
            for (Map.Entry<String, Located> e : patternProperties.entrySet()) {
                try {
                    if (Pattern.compile(e.getKey()).matcher(key).find()) {
                        return e.getValue();
                    }
                } catch (PatternSyntaxException ignored) {
                    // A pattern Java cannot compile covers nothing here.
                }
            }
            return additionalSchema;
        }

        boolean hasDefault(String key) {
            Located p = properties.get(key);
            return p != null && JsonSchemaShape.deref(p).node().has("default");
        }
    }

    // ---- arrays ----

    private void compareArray(JsonSchemaShape o, JsonSchemaShape u) {
        ArrayModel om = ArrayModel.of(o);
        ArrayModel um = ArrayModel.of(u);
        enter("items");
        compare(om.allItems, um.allItems);
        leave();
        compareTuple(om, um);
        enter("additionalItems");
        if (om.permitsAdditional != um.permitsAdditional) {
            add(om.permitsAdditional ? JsonSchemaChange.ADDITIONAL_ITEMS_REMOVED : JsonSchemaChange.ADDITIONAL_ITEMS_ADDED);
        } else if (om.additionalSchema == null && um.additionalSchema != null) {
            add(JsonSchemaChange.ADDITIONAL_ITEMS_NARROWED);
        } else if (om.additionalSchema != null && um.additionalSchema == null) {
            add(JsonSchemaChange.ADDITIONAL_ITEMS_EXTENDED);
        } else if (om.additionalSchema != null) {
            compare(om.additionalSchema, um.additionalSchema);
        }
        leave();
        bound("maxItems", number(o, "maxItems"), number(u, "maxItems"), JsonSchemaChange.MAX_ITEMS_ADDED,
                JsonSchemaChange.MAX_ITEMS_REMOVED, JsonSchemaChange.MAX_ITEMS_INCREASED, JsonSchemaChange.MAX_ITEMS_DECREASED);
        bound("minItems", number(o, "minItems"), number(u, "minItems"), JsonSchemaChange.MIN_ITEMS_ADDED,
                JsonSchemaChange.MIN_ITEMS_REMOVED, JsonSchemaChange.MIN_ITEMS_INCREASED, JsonSchemaChange.MIN_ITEMS_DECREASED);
        boolean ou = o.keyword("uniqueItems") != null && o.keyword("uniqueItems").asBoolean();
        boolean uu = u.keyword("uniqueItems") != null && u.keyword("uniqueItems").asBoolean();
        if (ou != uu) {
            add("uniqueItems", ou ? JsonSchemaChange.UNIQUE_ITEMS_REMOVED : JsonSchemaChange.UNIQUE_ITEMS_ADDED);
        }
    }

    private void compareTuple(ArrayModel o, ArrayModel u) {
        Iterator<Located> oi = o.tuple.iterator();
        Iterator<Located> ui = u.tuple.iterator();
        int index = 0;
        while (oi.hasNext() && ui.hasNext()) {
            enter("items/" + index++);
            compare(oi.next(), ui.next());
            leave();
        }
        while (oi.hasNext()) {
            enter("items/" + index++);
            Located written = oi.next();
            if (u.isOpen()) {
                add(JsonSchemaChange.ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL);
            } else if (u.additionalSchema != null) {
                JsonSchemaDiff s = sub();
                s.compare(written, u.additionalSchema);
                recordAll(s.differences);
                add(s.compatible() ? JsonSchemaChange.ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                        : JsonSchemaChange.ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL);
            } else if (JsonSchemaShape.of(written).kind == Kind.FALSE) {
                add(JsonSchemaChange.ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL);
            } else {
                add(JsonSchemaChange.ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL);
            }
            leave();
        }
        while (ui.hasNext()) {
            enter("items/" + index++);
            Located read = ui.next();
            if (o.isOpen()) {
                add(JsonSchemaShape.of(read).kind == Kind.EMPTY
                        ? JsonSchemaChange.ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
                        : JsonSchemaChange.ITEM_ADDED_TO_OPEN_CONTENT_MODEL);
            } else if (o.additionalSchema != null) {
                JsonSchemaDiff s = sub();
                s.compare(o.additionalSchema, read);
                recordAll(s.differences);
                add(s.compatible() ? JsonSchemaChange.ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                        : JsonSchemaChange.ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL);
            } else {
                add(JsonSchemaChange.ITEM_ADDED_TO_CLOSED_CONTENT_MODEL);
            }
            leave();
        }
    }

    /**
     * An array schema's keywords: one schema for every item ({@code items} as a schema), or a tuple
     * ({@code items} as an array before 2020-12, {@code prefixItems} since) whose further items fall
     * under {@code additionalItems} (2020-12: {@code items}).
     */
    private static final class ArrayModel {
        Located allItems;
        final List<Located> tuple = new ArrayList<>();
        boolean permitsAdditional = true;
        Located additionalSchema;

        static ArrayModel of(JsonSchemaShape s) {
            ArrayModel m = new ArrayModel();
            JsonNode prefix = s.keyword("prefixItems");
            JsonNode items = s.keyword("items");
            JsonNode additional;
            if (prefix != null && prefix.isArray()) {
                prefix.forEach(p -> m.tuple.add(s.child(p)));
                additional = items;
            } else if (items != null && items.isArray()) {
                items.forEach(p -> m.tuple.add(s.child(p)));
                additional = s.keyword("additionalItems");
            } else {
                m.allItems = s.child(items);
                additional = null;
            }
            if (additional != null && additional.isBoolean()) {
                m.permitsAdditional = additional.asBoolean();
            } else if (additional != null && additional.isObject()) {
                m.additionalSchema = s.child(additional);
            }
            return m;
        }

        boolean isOpen() {
            return permitsAdditional && additionalSchema == null;
        }
    }
}

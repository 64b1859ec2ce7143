package io.sluice.schema.protobuf;

import com.squareup.wire.schema.EnumConstant;
import com.squareup.wire.schema.EnumType;
import com.squareup.wire.schema.Field;
import com.squareup.wire.schema.MessageType;
import com.squareup.wire.schema.OneOf;
import com.squareup.wire.schema.ProtoFile;
import com.squareup.wire.schema.ProtoType;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.Type;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Protobuf diff walker: compares a writer's .proto (the original) with a reader's (the update)
 * over Wire's linked model, the way Confluent's registry does: top-level and nested messages by
 * name, fields by tag, oneofs by name, and field types by kind, scalar group and (for messages) by
 * name and then structure. Whether a change is compatible is {@link ProtobufSchemaChange}'s business.
 */
final class ProtobufSchemaDiff {

    private enum Kind { SCALAR, MAP, MESSAGE }

    private final Schema original;
    private final Schema update;
    /** Message pairs under comparison higher up: a recursive message meeting itself is taken as unchanged. */
    private final Set<List<String>> inProgress;
    /**
     * What comparing a pair of message types found: a type reached through many fields (or many
     * paths of fields) is compared once, not once per path.
     */
    private final Map<List<String>, List<ProtobufDifference>> memo;
    private final List<ProtobufDifference> differences = new ArrayList<>();

    static final int MAX_KEPT = 100;

    private ProtobufSchemaDiff(Schema original, Schema update, Set<List<String>> inProgress,
                               Map<List<String>, List<ProtobufDifference>> memo) {
        this.original = original;
        this.update = update;
        this.inProgress = inProgress;
        this.memo = memo;
    }

    static List<ProtobufDifference> compare(Schema original, ProtoFile originalFile, Schema update, ProtoFile updateFile) {
        ProtobufSchemaDiff diff = new ProtobufSchemaDiff(original, update, new HashSet<>(), new HashMap<>());
        if (!Objects.equals(originalFile.getPackageName(), updateFile.getPackageName())) {
            diff.add(ProtobufSchemaChange.PACKAGE_CHANGED, "package",
                    quote(originalFile.getPackageName()) + " to " + quote(updateFile.getPackageName()));
        }
        diff.compareTypes(originalFile.getTypes(), updateFile.getTypes());
        return diff.differences;
    }

    private static String quote(String s) {
        return s == null ? "(none)" : "'" + s + "'";
    }

    /** Keeps what breaks compatibility (compatible changes decide nothing and are not reported), up to {@link #MAX_KEPT}. */
    private void add(ProtobufSchemaChange change, String where, String detail) {
        if (!change.compatible() && differences.size() < MAX_KEPT) {
            differences.add(new ProtobufDifference(change, where, detail));
        }
    }

    // ---- types ----

    private void compareTypes(List<Type> originalTypes, List<Type> updateTypes) {
        Map<String, MessageType> om = new HashMap<>();
        Map<String, MessageType> um = new HashMap<>();
        Map<String, Integer> oi = new HashMap<>();
        Map<String, Integer> ui = new HashMap<>();
        Map<String, EnumType> oe = new HashMap<>();
        Map<String, EnumType> ue = new HashMap<>();
        index(originalTypes, om, oi, oe);
        index(updateTypes, um, ui, ue);

        Set<String> names = new TreeSet<>(om.keySet());
        names.addAll(um.keySet());
        for (String name : names) {
            MessageType o = om.get(name);
            MessageType u = um.get(name);
            if (u == null) {
                add(ProtobufSchemaChange.MESSAGE_REMOVED, o.getType().toString(), "");
            } else if (o == null) {
                add(ProtobufSchemaChange.MESSAGE_ADDED, u.getType().toString(), "");
            } else {
                compareMessage(o, u);
                if (!oi.get(name).equals(ui.get(name))) {
                    add(ProtobufSchemaChange.MESSAGE_MOVED, o.getType().toString(),
                            "index " + oi.get(name) + " to " + ui.get(name));
                }
            }
        }
        names = new TreeSet<>(oe.keySet());
        names.addAll(ue.keySet());
        for (String name : names) {
            EnumType o = oe.get(name);
            EnumType u = ue.get(name);
            if (u == null) {
                add(ProtobufSchemaChange.ENUM_REMOVED, o.getType().toString(), "");
            } else if (o == null) {
                add(ProtobufSchemaChange.ENUM_ADDED, u.getType().toString(), "");
            } else {
                compareEnum(o, u);
            }
        }
    }

    private static void index(List<Type> types, Map<String, MessageType> messages, Map<String, Integer> indexes,
                              Map<String, EnumType> enums) {
        int i = 0;
        for (Type t : types) {
            if (t instanceof MessageType m) {
                messages.put(m.getType().getSimpleName(), m);
                indexes.put(m.getType().getSimpleName(), i++);
            } else if (t instanceof EnumType e) {
                enums.put(e.getType().getSimpleName(), e);
            }
        }
    }

    private void compareEnum(EnumType o, EnumType u) {
        Map<Integer, EnumConstant> oc = new TreeMap<>();
        Map<Integer, EnumConstant> uc = new TreeMap<>();
        o.getConstants().forEach(c -> oc.putIfAbsent(c.getTag(), c));
        u.getConstants().forEach(c -> uc.putIfAbsent(c.getTag(), c));
        Set<Integer> tags = new TreeSet<>(oc.keySet());
        tags.addAll(uc.keySet());
        String where = o.getType().toString();
        for (int tag : tags) {
            EnumConstant a = oc.get(tag);
            EnumConstant b = uc.get(tag);
            if (b == null) {
                add(ProtobufSchemaChange.ENUM_CONST_REMOVED, where, a.getName() + " = " + tag);
            } else if (a == null) {
                add(ProtobufSchemaChange.ENUM_CONST_ADDED, where, b.getName() + " = " + tag);
            } else if (!a.getName().equals(b.getName())) {
                add(ProtobufSchemaChange.ENUM_CONST_CHANGED, where, a.getName() + " to " + b.getName() + " = " + tag);
            }
        }
    }

    // ---- messages ----

    private void compareMessage(MessageType o, MessageType u) {
        List<String> pair = List.of(o.getType().toString(), u.getType().toString());
        if (!inProgress.add(pair)) {
            return;
        }
        try {
            compareFields(o, u);
            compareTypes(o.getNestedTypes(), u.getNestedTypes());
        } finally {
            inProgress.remove(pair);
        }
    }

    private void compareFields(MessageType o, MessageType u) {
        String message = o.getType().toString();
        Map<Integer, Field> originalByTag = byTag(o.getDeclaredFields());
        Map<Integer, Field> updateByTag = byTag(u.getDeclaredFields());
        Map<Integer, Field> originalAll = new TreeMap<>(originalByTag);
        Map<Integer, Field> updateAll = new TreeMap<>(updateByTag);
        Map<Integer, String> originalOneOfOf = new HashMap<>();
        Map<Integer, String> updateOneOfOf = new HashMap<>();
        Map<String, OneOf> originalOneOfs = new TreeMap<>();
        Map<String, OneOf> updateOneOfs = new TreeMap<>();
        Set<Integer> originalOneOfTags = new HashSet<>();
        for (OneOf oneOf : o.getOneOfs()) {
            originalOneOfs.put(oneOf.getName(), oneOf);
            for (Field f : oneOf.getFields()) {
                originalAll.put(f.getTag(), f);
                originalOneOfOf.put(f.getTag(), oneOf.getName());
                originalOneOfTags.add(f.getTag());
            }
        }
        for (OneOf oneOf : u.getOneOfs()) {
            updateOneOfs.put(oneOf.getName(), oneOf);
            int moved = 0;
            int existing = 0;
            for (Field f : oneOf.getFields()) {
                updateAll.put(f.getTag(), f);
                updateOneOfOf.put(f.getTag(), oneOf.getName());
                // A plain field that moved into the oneof is not a removal.
                if (originalByTag.remove(f.getTag()) != null) {
                    moved++;
                } else if (originalOneOfTags.contains(f.getTag())) {
                    existing++;
                }
            }
            String where = message + "." + oneOf.getName() + " (oneof)";
            if (moved > 1) {
                add(ProtobufSchemaChange.MULTIPLE_FIELDS_MOVED_TO_ONEOF, where, moved + " fields moved into it");
            } else if (moved == 1 && existing > 0) {
                add(ProtobufSchemaChange.FIELD_MOVED_TO_EXISTING_ONEOF, where, "a field moved in beside fields of an earlier oneof");
            }
        }

        Set<String> oneOfNames = new TreeSet<>(originalOneOfs.keySet());
        oneOfNames.addAll(updateOneOfs.keySet());
        for (String name : oneOfNames) {
            OneOf a = originalOneOfs.get(name);
            OneOf b = updateOneOfs.get(name);
            String where = message + "." + name + " (oneof)";
            if (b == null) {
                add(ProtobufSchemaChange.ONEOF_REMOVED, where, "");
            } else if (a == null) {
                add(ProtobufSchemaChange.ONEOF_ADDED, where, "");
            } else {
                Map<Integer, Field> af = byTag(a.getFields());
                Map<Integer, Field> bf = byTag(b.getFields());
                Set<Integer> tags = new TreeSet<>(af.keySet());
                tags.addAll(bf.keySet());
                for (int tag : tags) {
                    Field x = af.get(tag);
                    Field y = bf.get(tag);
                    if (y == null) {
                        // Moved out of the oneof is not a removal; gone from the message is.
                        if (!updateAll.containsKey(tag)) {
                            add(ProtobufSchemaChange.ONEOF_FIELD_REMOVED, where, x.getName() + " = " + tag);
                        }
                    } else if (x == null) {
                        add(ProtobufSchemaChange.ONEOF_FIELD_ADDED, where, y.getName() + " = " + tag);
                    } else {
                        compareField(message, x, y);
                    }
                }
            }
        }

        Set<Integer> tags = new TreeSet<>(originalByTag.keySet());
        tags.addAll(updateByTag.keySet());
        for (int tag : tags) {
            Field a = originalByTag.get(tag);
            Field b = updateByTag.get(tag);
            if (b == null) {
                add(a.isRequired() ? ProtobufSchemaChange.REQUIRED_FIELD_REMOVED : ProtobufSchemaChange.FIELD_REMOVED,
                        fieldWhere(message, a), "");
            } else if (a == null) {
                add(b.isRequired() ? ProtobufSchemaChange.REQUIRED_FIELD_ADDED : ProtobufSchemaChange.FIELD_ADDED,
                        fieldWhere(message, b), "");
            } else {
                compareField(message, a, b);
            }
        }

        // Fields that changed oneof membership were compared in neither loop above: compare them by tag.
        for (Map.Entry<Integer, Field> e : originalAll.entrySet()) {
            int tag = e.getKey();
            Field b = updateAll.get(tag);
            if (b == null) {
                continue;
            }
            String before = originalOneOfOf.get(tag);
            String after = updateOneOfOf.get(tag);
            if (!Objects.equals(before, after)) {
                compareField(message, e.getValue(), b);
            }
        }
    }

    private static Map<Integer, Field> byTag(List<Field> fields) {
        Map<Integer, Field> map = new TreeMap<>();
        for (Field f : fields) {
            map.put(f.getTag(), f);
        }
        return map;
    }

    private static String fieldWhere(String message, Field f) {
        return message + "." + f.getName() + " (field " + f.getTag() + ")";
    }

    // ---- fields ----

    private void compareField(String message, Field o, Field u) {
        String where = fieldWhere(message, o);
        if (!o.getName().equals(u.getName())) {
            add(ProtobufSchemaChange.FIELD_NAME_CHANGED, where, "renamed " + u.getName());
        }
        Kind ok = kind(o.getType(), original);
        Kind uk = kind(u.getType(), update);
        if (ok == uk && ok != Kind.MAP && o.isRepeated() != u.isRepeated()) {
            boolean lengthDelimited = ok == Kind.MESSAGE
                    || (scalarGroup(o.getType(), original).equals("string/bytes")
                    && scalarGroup(u.getType(), update).equals("string/bytes"));
            add(lengthDelimited ? ProtobufSchemaChange.FIELD_STRING_OR_BYTES_LABEL_CHANGED
                            : ProtobufSchemaChange.FIELD_NUMERIC_LABEL_CHANGED, where,
                    (o.isRepeated() ? "repeated" : "singular") + " to " + (u.isRepeated() ? "repeated" : "singular"));
        }
        compareTypes(where, o.getType(), u.getType());
    }

    private void compareTypes(String where, ProtoType o, ProtoType u) {
        Kind ok = kind(o, original);
        Kind uk = kind(u, update);
        if (ok != uk) {
            add(ProtobufSchemaChange.FIELD_KIND_CHANGED, where, o + " to " + u);
            return;
        }
        switch (ok) {
            case SCALAR -> {
                if (!scalarGroup(o, original).equals(scalarGroup(u, update))) {
                    add(ProtobufSchemaChange.FIELD_SCALAR_KIND_CHANGED, where, o + " to " + u);
                }
            }
            case MAP -> {
                compareTypes(where + " map key", o.getKeyType(), u.getKeyType());
                compareTypes(where + " map value", o.getValueType(), u.getValueType());
            }
            case MESSAGE -> compareMessageTypes(where, o, u);
        }
    }

    private void compareMessageTypes(String where, ProtoType o, ProtoType u) {
        if (!localName(o, original).equals(localName(u, update))) {
            add(ProtobufSchemaChange.FIELD_NAMED_TYPE_CHANGED, where, o + " to " + u);
            return;
        }
        Type ot = original.getType(o);
        Type ut = update.getType(u);
        if (!(ot instanceof MessageType om) || !(ut instanceof MessageType um)) {
            return;
        }
        List<String> pair = List.of(o.toString(), u.toString());
        List<ProtobufDifference> found = memo.get(pair);
        if (found == null) {
            ProtobufSchemaDiff sub = new ProtobufSchemaDiff(original, update, inProgress, memo);
            sub.compareMessage(om, um);
            found = List.copyOf(sub.differences);
            memo.put(pair, found);
        }
        for (ProtobufDifference d : found) {
            add(d.change(), d.where(), d.detail());
        }
        if (!found.isEmpty()) {
            add(ProtobufSchemaChange.FIELD_NAMED_TYPE_CHANGED, where, o + " changed incompatibly");
        }
    }

    /** The type's name within its package: a type that moved to another package but kept its shape is the same type. */
    private static String localName(ProtoType type, Schema schema) {
        String full = type.toString();
        ProtoFile file = schema.protoFile(type);
        String pkg = file == null ? null : file.getPackageName();
        return pkg != null && !pkg.isEmpty() && full.startsWith(pkg + ".") ? full.substring(pkg.length() + 1) : full;
    }

    private static Kind kind(ProtoType type, Schema schema) {
        if (type.isScalar()) {
            return Kind.SCALAR;
        }
        if (type.isMap()) {
            return Kind.MAP;
        }
        return schema.getType(type) instanceof EnumType ? Kind.SCALAR : Kind.MESSAGE;
    }

    /** Protobuf's groups of scalar types that decode each other's bytes (enums are varints). */
    private static String scalarGroup(ProtoType type, Schema schema) {
        if (!type.isScalar() && schema.getType(type) instanceof EnumType) {
            return "varint";
        }
        return switch (type.toString()) {
            case "int32", "int64", "uint32", "uint64", "bool" -> "varint";
            case "sint32", "sint64" -> "zigzag";
            case "string", "bytes" -> "string/bytes";
            case "fixed32", "sfixed32" -> "fixed32";
            case "fixed64", "sfixed64" -> "fixed64";
            default -> type.toString();
        };
    }
}

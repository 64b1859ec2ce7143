package io.sluice.schema.protobuf;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;

import com.google.protobuf.InvalidProtocolBufferException;
import io.sluice.schema.InvalidSchemaException;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a {@code FileDescriptorProto} as {@code .proto} text. Confluent's clients may register a
 * Protobuf schema in its "serialized" form (a base64 {@code FileDescriptorProto}, which is what
 * Confluent's JavaScript serializer sends); the registry turns it into text, so that one schema has
 * one canonical form whichever way it arrived, and every rule works on text.
 *
 * <p>Covers what a descriptor carries of a schema's meaning: syntax, package, imports, the common
 * file options, messages (nested, maps, oneofs including proto3 {@code optional}, reserved
 * ranges and names, extension ranges, proto2 defaults and {@code packed}), enums and services.
 * Custom options are not written: a descriptor holds them only as unknown fields.
 */
public final class DescriptorText {
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    private final StringBuilder out = new StringBuilder();
    private final boolean proto3;

    private DescriptorText(boolean proto3) {
        this.proto3 = proto3;
    }

    /**
     * {@code schema} as .proto text: unchanged when it is text, converted when it is Confluent's
     * serialized form (base64 of a {@code FileDescriptorProto}; .proto text always has a character
     * base64 lacks, such as a space or a semicolon).
     *
     * @throws InvalidSchemaException for base64 that is not a descriptor
     */
    public static String fromSerialized(String schema) throws InvalidSchemaException {
        if (schema == null || schema.isEmpty() || !BASE64.matcher(schema).matches()) {
            return schema;
        }
        FileDescriptorProto file;
        try {
            file = FileDescriptorProto.parseFrom(Base64.getDecoder().decode(schema));
        } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
            throw notADescriptor();
        }
        // Protobuf parses most byte strings as something: a descriptor must at least look like one.
        if (!file.getUnknownFields().asMap().isEmpty() || (!file.hasName() && file.getMessageTypeCount() == 0
                && file.getEnumTypeCount() == 0)) {
            throw notADescriptor();
        }
        return of(file);
    }

    private static InvalidSchemaException notADescriptor() {
        return new InvalidSchemaException("Invalid Protobuf schema: neither .proto text nor a base64 FileDescriptorProto");
    }

    public static String of(FileDescriptorProto file) {
        String syntax = file.getSyntax().isEmpty() ? "proto2" : file.getSyntax();
        DescriptorText t = new DescriptorText(syntax.equals("proto3"));
        t.file(file, syntax);
        return t.out.toString();
    }

    private void file(FileDescriptorProto f, String syntax) {
        line(0, "syntax = \"" + syntax + "\";");
        if (f.hasPackage()) {
            line(0, "package " + f.getPackage() + ";");
        }
        List<Integer> publicDeps = f.getPublicDependencyList();
        List<Integer> weakDeps = f.getWeakDependencyList();
        for (int i = 0; i < f.getDependencyCount(); i++) {
            String kind = publicDeps.contains(i) ? "public " : weakDeps.contains(i) ? "weak " : "";
            line(0, "import " + kind + quote(f.getDependency(i)) + ";");
        }
        fileOptions(f.getOptions());
        for (DescriptorProto m : f.getMessageTypeList()) {
            message(0, m);
        }
        for (EnumDescriptorProto e : f.getEnumTypeList()) {
            enumType(0, e);
        }
        for (ServiceDescriptorProto s : f.getServiceList()) {
            service(s);
        }
        for (FieldDescriptorProto x : f.getExtensionList()) {
            extension(0, x);
        }
    }

    private void fileOptions(FileOptions o) {
        if (o.hasJavaPackage()) {
            line(0, "option java_package = " + quote(o.getJavaPackage()) + ";");
        }
        if (o.hasJavaOuterClassname()) {
            line(0, "option java_outer_classname = " + quote(o.getJavaOuterClassname()) + ";");
        }
        if (o.hasJavaMultipleFiles()) {
            line(0, "option java_multiple_files = " + o.getJavaMultipleFiles() + ";");
        }
        if (o.hasGoPackage()) {
            line(0, "option go_package = " + quote(o.getGoPackage()) + ";");
        }
        if (o.hasCsharpNamespace()) {
            line(0, "option csharp_namespace = " + quote(o.getCsharpNamespace()) + ";");
        }
        if (o.hasObjcClassPrefix()) {
            line(0, "option objc_class_prefix = " + quote(o.getObjcClassPrefix()) + ";");
        }
        if (o.hasOptimizeFor()) {
            line(0, "option optimize_for = " + o.getOptimizeFor().name() + ";");
        }
        if (o.hasDeprecated()) {
            line(0, "option deprecated = " + o.getDeprecated() + ";");
        }
    }

    private void message(int depth, DescriptorProto m) {
        line(depth, "message " + m.getName() + " {");
        Map<String, DescriptorProto> mapEntries = new HashMap<>();
        for (DescriptorProto nested : m.getNestedTypeList()) {
            if (nested.getOptions().getMapEntry()) {
                mapEntries.put(nested.getName(), nested);
            }
        }
        if (m.getOptions().hasDeprecated()) {
            line(depth + 1, "option deprecated = " + m.getOptions().getDeprecated() + ";");
        }
        // Fields in declaration order; those of a real oneof are written inside it, where its first field was.
        List<List<FieldDescriptorProto>> oneofs = new ArrayList<>();
        for (int i = 0; i < m.getOneofDeclCount(); i++) {
            oneofs.add(new ArrayList<>());
        }
        for (FieldDescriptorProto f : m.getFieldList()) {
            if (f.hasOneofIndex() && !f.getProto3Optional()) {
                oneofs.get(f.getOneofIndex()).add(f);
            }
        }
        boolean[] oneofWritten = new boolean[m.getOneofDeclCount()];
        for (FieldDescriptorProto f : m.getFieldList()) {
            if (f.hasOneofIndex() && !f.getProto3Optional()) {
                int idx = f.getOneofIndex();
                if (!oneofWritten[idx]) {
                    oneofWritten[idx] = true;
                    oneof(depth + 1, m.getOneofDecl(idx), oneofs.get(idx), mapEntries);
                }
                continue;
            }
            field(depth + 1, f, mapEntries, false);
        }
        for (DescriptorProto nested : m.getNestedTypeList()) {
            if (!nested.getOptions().getMapEntry()) {
                message(depth + 1, nested);
            }
        }
        for (EnumDescriptorProto e : m.getEnumTypeList()) {
            enumType(depth + 1, e);
        }
        for (DescriptorProto.ExtensionRange r : m.getExtensionRangeList()) {
            line(depth + 1, "extensions " + range(r.getStart(), r.getEnd() - 1, 536870911) + ";");
        }
        for (FieldDescriptorProto x : m.getExtensionList()) {
            extension(depth + 1, x);
        }
        reserved(depth + 1, m.getReservedRangeList().stream().map(r -> range(r.getStart(), r.getEnd() - 1, 536870911)).toList(),
                m.getReservedNameList());
        line(depth, "}");
    }

    private void oneof(int depth, OneofDescriptorProto o, List<FieldDescriptorProto> fields,
                       Map<String, DescriptorProto> mapEntries) {
        line(depth, "oneof " + o.getName() + " {");
        for (FieldDescriptorProto f : fields) {
            field(depth + 1, f, mapEntries, true);
        }
        line(depth, "}");
    }

    private void field(int depth, FieldDescriptorProto f, Map<String, DescriptorProto> mapEntries, boolean inOneof) {
        String type = typeName(f);
        DescriptorProto entry = f.getType() == FieldDescriptorProto.Type.TYPE_MESSAGE
                ? mapEntries.get(simpleName(f.getTypeName())) : null;
        String label;
        if (entry != null && f.getLabel() == FieldDescriptorProto.Label.LABEL_REPEATED) {
            label = "";
            type = "map<" + typeName(entry.getField(0)) + ", " + typeName(entry.getField(1)) + ">";
        } else if (inOneof) {
            label = "";
        } else if (f.getLabel() == FieldDescriptorProto.Label.LABEL_REPEATED) {
            label = "repeated ";
        } else if (f.getLabel() == FieldDescriptorProto.Label.LABEL_REQUIRED) {
            label = "required ";
        } else if (!proto3 || f.getProto3Optional()) {
            label = "optional ";
        } else {
            label = "";
        }
        List<String> options = new ArrayList<>();
        if (f.hasDefaultValue()) {
            options.add("default = " + defaultValue(f));
        }
        if (f.getOptions().hasPacked()) {
            options.add("packed = " + f.getOptions().getPacked());
        }
        if (f.getOptions().hasDeprecated()) {
            options.add("deprecated = " + f.getOptions().getDeprecated());
        }
        if (f.hasJsonName() && !f.getJsonName().equals(defaultJsonName(f.getName()))) {
            options.add("json_name = " + quote(f.getJsonName()));
        }
        String opts = options.isEmpty() ? "" : " [" + String.join(", ", options) + "]";
        line(depth, label + type + " " + f.getName() + " = " + f.getNumber() + opts + ";");
    }

    private void extension(int depth, FieldDescriptorProto x) {
        line(depth, "extend " + x.getExtendee() + " {");
        field(depth + 1, x, Map.of(), false);
        line(depth, "}");
    }

    private void enumType(int depth, EnumDescriptorProto e) {
        line(depth, "enum " + e.getName() + " {");
        if (e.getOptions().hasAllowAlias()) {
            line(depth + 1, "option allow_alias = " + e.getOptions().getAllowAlias() + ";");
        }
        for (EnumValueDescriptorProto v : e.getValueList()) {
            String opts = v.getOptions().hasDeprecated() ? " [deprecated = " + v.getOptions().getDeprecated() + "]" : "";
            line(depth + 1, v.getName() + " = " + v.getNumber() + opts + ";");
        }
        reserved(depth + 1, e.getReservedRangeList().stream().map(r -> range(r.getStart(), r.getEnd(), Integer.MAX_VALUE)).toList(),
                e.getReservedNameList());
        line(depth, "}");
    }

    private void service(ServiceDescriptorProto s) {
        line(0, "service " + s.getName() + " {");
        for (MethodDescriptorProto m : s.getMethodList()) {
            line(1, "rpc " + m.getName() + " (" + (m.getClientStreaming() ? "stream " : "") + m.getInputType() + ") returns ("
                    + (m.getServerStreaming() ? "stream " : "") + m.getOutputType() + ");");
        }
        line(0, "}");
    }

    private void reserved(int depth, List<String> ranges, List<String> names) {
        if (!ranges.isEmpty()) {
            line(depth, "reserved " + String.join(", ", ranges) + ";");
        }
        if (!names.isEmpty()) {
            line(depth, "reserved " + String.join(", ", names.stream().map(DescriptorText::quote).toList()) + ";");
        }
    }

    /** {@code start to end} (inclusive), {@code max} where the end is the largest number a field or value may have. */
    private static String range(int start, int endInclusive, int max) {
        if (start == endInclusive) {
            return String.valueOf(start);
        }
        return start + " to " + (endInclusive >= max ? "max" : String.valueOf(endInclusive));
    }

    private static String typeName(FieldDescriptorProto f) {
        return switch (f.getType()) {
            case TYPE_DOUBLE -> "double";
            case TYPE_FLOAT -> "float";
            case TYPE_INT64 -> "int64";
            case TYPE_UINT64 -> "uint64";
            case TYPE_INT32 -> "int32";
            case TYPE_FIXED64 -> "fixed64";
            case TYPE_FIXED32 -> "fixed32";
            case TYPE_BOOL -> "bool";
            case TYPE_STRING -> "string";
            case TYPE_BYTES -> "bytes";
            case TYPE_UINT32 -> "uint32";
            case TYPE_SFIXED32 -> "sfixed32";
            case TYPE_SFIXED64 -> "sfixed64";
            case TYPE_SINT32 -> "sint32";
            case TYPE_SINT64 -> "sint64";
            // A fully qualified name (".pkg.Msg") is valid .proto, and resolves the same anywhere.
            case TYPE_MESSAGE, TYPE_ENUM, TYPE_GROUP -> f.getTypeName();
        };
    }

    private static String defaultValue(FieldDescriptorProto f) {
        return switch (f.getType()) {
            case TYPE_STRING -> quote(f.getDefaultValue());
            case TYPE_BYTES -> "\"" + f.getDefaultValue() + "\""; // already C-escaped by protoc
            default -> f.getDefaultValue();
        };
    }

    private static String simpleName(String typeName) {
        int dot = typeName.lastIndexOf('.');
        return dot < 0 ? typeName : typeName.substring(dot + 1);
    }

    /** protoc's json_name for a field name: lowerCamelCase over underscores. */
    private static String defaultJsonName(String name) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private void line(int depth, String text) {
        out.append("  ".repeat(depth)).append(text).append('\n');
    }
}

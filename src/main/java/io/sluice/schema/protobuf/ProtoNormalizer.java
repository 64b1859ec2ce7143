package io.sluice.schema.protobuf;

import com.squareup.wire.schema.Field;
import com.squareup.wire.schema.MessageType;
import com.squareup.wire.schema.ProtoType;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.Type;
import com.squareup.wire.schema.internal.parser.EnumConstantElement;
import com.squareup.wire.schema.internal.parser.EnumElement;
import com.squareup.wire.schema.internal.parser.FieldElement;
import com.squareup.wire.schema.internal.parser.MessageElement;
import com.squareup.wire.schema.internal.parser.OneOfElement;
import com.squareup.wire.schema.internal.parser.OptionElement;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.TypeElement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rewrites a .proto into a normalized form, so that files that differ only in how they are written
 * get one canonical string: imports and options sorted, fields ordered by tag, message and enum type
 * names fully qualified (with a leading dot), comments dropped. The order of messages and enum
 * constants stays: message indexes in payloads and proto2's default enum value depend on it.
 */
final class ProtoNormalizer {

    private static final Comparator<OptionElement> OPTION_ORDER =
            Comparator.comparing(OptionElement::getName).thenComparing(OptionElement::toSchema);

    private final Schema linked;

    private ProtoNormalizer(Schema linked) {
        this.linked = linked;
    }

    static ProtoFileElement normalize(ProtoFileElement file, Schema linked) {
        ProtoNormalizer n = new ProtoNormalizer(linked);
        String pkg = file.getPackageName();
        List<TypeElement> types = new ArrayList<>();
        for (TypeElement t : file.getTypes()) {
            types.add(n.type(t, pkg == null || pkg.isEmpty() ? t.getName() : pkg + "." + t.getName()));
        }
        return file.copy(file.getLocation(), pkg, file.getSyntax(), sorted(file.getImports()),
                sorted(file.getPublicImports()), sorted(file.getWeakImports()), types, file.getServices(),
                file.getExtendDeclarations(), options(file.getOptions()));
    }

    private static List<String> sorted(List<String> list) {
        return list.stream().sorted().toList();
    }

    private static List<OptionElement> options(List<OptionElement> options) {
        return options.stream().sorted(OPTION_ORDER).toList();
    }

    private TypeElement type(TypeElement t, String fullName) {
        if (t instanceof MessageElement m) {
            return message(m, fullName);
        }
        if (t instanceof EnumElement e) {
            List<EnumConstantElement> constants = e.getConstants().stream()
                    .map(c -> c.copy(c.getLocation(), c.getName(), c.getTag(), "", options(c.getOptions())))
                    .toList();
            return e.copy(e.getLocation(), e.getName(), "", options(e.getOptions()), constants, e.getReserveds());
        }
        return t;
    }

    private MessageElement message(MessageElement m, String fullName) {
        Type linkedType = linked.getType(fullName);
        MessageType type = linkedType instanceof MessageType mt ? mt : null;
        List<FieldElement> fields = m.getFields().stream()
                .map(f -> field(f, type))
                .sorted(Comparator.comparingInt(FieldElement::getTag))
                .toList();
        // Wire renders fields and oneofs in source order (by location): place each at its (least) tag.
        List<OneOfElement> oneOfs = m.getOneOfs().stream()
                .map(o -> {
                    List<FieldElement> members = o.getFields().stream().map(f -> field(f, type))
                            .sorted(Comparator.comparingInt(FieldElement::getTag)).toList();
                    int first = members.isEmpty() ? Integer.MAX_VALUE : members.get(0).getTag();
                    return o.copy(o.getName(), "", members, o.getGroups(), options(o.getOptions()),
                            o.getLocation().at(first, 0));
                })
                .sorted(Comparator.comparingInt((OneOfElement o) -> o.getLocation().getLine()))
                .toList();
        List<TypeElement> nested = new ArrayList<>();
        for (TypeElement t : m.getNestedTypes()) {
            nested.add(type(t, fullName + "." + t.getName()));
        }
        return m.copy(m.getLocation(), m.getName(), "", nested, options(m.getOptions()), m.getReserveds(), fields,
                oneOfs, m.getExtensions(), m.getGroups(), m.getExtendDeclarations());
    }

    private FieldElement field(FieldElement f, MessageType message) {
        String typeName = f.getType();
        if (message != null) {
            for (Field linkedField : message.getFieldsAndOneOfFields()) {
                if (linkedField.getTag() == f.getTag() && linkedField.getType() != null) {
                    typeName = qualified(linkedField.getType());
                    break;
                }
            }
        }
        return f.copy(f.getLocation().at(f.getTag(), 0), f.getLabel(), typeName, f.getName(), f.getDefaultValue(), f.getJsonName(),
                f.getTag(), "", options(f.getOptions()));
    }

    private static String qualified(ProtoType type) {
        if (type.isScalar()) {
            return type.toString();
        }
        if (type.isMap()) {
            return "map<" + qualified(type.getKeyType()) + ", " + qualified(type.getValueType()) + ">";
        }
        return "." + type;
    }
}

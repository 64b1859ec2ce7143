package io.sluice.schema.protobuf;

import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.squareup.wire.schema.ErrorCollector;
import com.squareup.wire.schema.Linker;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaProvider;
import io.sluice.schema.SchemaReference;
import io.sluice.schema.SchemaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses .proto texts with Square Wire (as Confluent's registry does), links them with their imports
 * (the registry's references, by import path, and the well-known {@code google/protobuf/*} files),
 * and builds protobuf-java descriptors for the payloads. A text that does not parse, an import that
 * is not among the references, a type that does not resolve or a descriptor protobuf-java refuses
 * make an {@link InvalidSchemaException}.
 */
public final class ProtobufSchemaProvider implements SchemaProvider {

    @Override
    public SchemaType type() {
        return SchemaType.PROTOBUF;
    }

    @Override
    public ParsedSchema parse(String schema, List<SchemaReference> references, Map<String, String> resolved)
            throws InvalidSchemaException {
        Map<String, String> texts = resolved == null ? Map.of() : serializedAsText(resolved);
        schema = DescriptorText.fromSerialized(schema);
        try {
            ProtoFileElement root = parseText(ProtoFileLoader.ROOT_PATH, schema, "the schema");
            return link(schema, root, references == null ? List.of() : List.copyOf(references), texts);
        } catch (StackOverflowError e) {
            // A last resort against absurdly nested declarations: the stack unwinds and nothing is shared.
            throw new InvalidSchemaException("Invalid Protobuf schema: nested too deeply");
        }
    }

    /** The referenced schemas, those registered in the serialized form turned into text. */
    private static Map<String, String> serializedAsText(Map<String, String> resolved) throws InvalidSchemaException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : resolved.entrySet()) {
            out.put(e.getKey(), DescriptorText.fromSerialized(e.getValue()));
        }
        return out;
    }

    static ProtobufParsedSchema link(String original, ProtoFileElement root, List<SchemaReference> references,
                                     Map<String, String> texts) throws InvalidSchemaException {
        Map<String, ProtoFileElement> imports = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : texts.entrySet()) {
            imports.put(e.getKey(), parseText(e.getKey(), e.getValue(), "the referenced schema '" + e.getKey() + "'"));
        }
        ProtoFileLoader loader = new ProtoFileLoader(root, imports);
        Schema linked;
        try {
            ErrorCollector errors = new ErrorCollector();
            Linker linker = new Linker(loader, errors, false, true);
            linked = linker.link(List.of(loader.load(ProtoFileLoader.ROOT_PATH)));
            errors.throwIfNonEmpty();
        } catch (RuntimeException e) {
            throw new InvalidSchemaException("Invalid Protobuf schema: " + missingOr(loader, clean(e.getMessage())), e);
        }
        if (!loader.missing().isEmpty()) {
            throw new InvalidSchemaException("Invalid Protobuf schema: " + missingOr(loader, ""));
        }
        FileDescriptor descriptor;
        try {
            descriptor = ProtoDescriptors.build(linked, ProtoFileLoader.ROOT_PATH);
        } catch (DescriptorValidationException | RuntimeException e) {
            throw new InvalidSchemaException("Invalid Protobuf schema: " + clean(e.getMessage()), e);
        }
        return new ProtobufParsedSchema(original, root, linked, descriptor, references, texts);
    }

    private static String missingOr(ProtoFileLoader loader, String otherwise) {
        List<String> missing = loader.missing();
        if (missing.isEmpty()) {
            return otherwise;
        }
        return "import " + String.join(", ", missing.stream().map(m -> "'" + m + "'").toList())
                + (missing.size() == 1 ? " is" : " are") + " not among the schema's references";
    }

    /** Messages name files by path: the registered text has none, so call it "schema". */
    private static String clean(String message) {
        return message == null ? "" : message.replace(ProtoFileLoader.ROOT_PATH, "schema");
    }

    private static ProtoFileElement parseText(String path, String text, String what) throws InvalidSchemaException {
        if (text == null || text.isBlank()) {
            throw new InvalidSchemaException("Invalid Protobuf schema: " + what + " is empty");
        }
        try {
            return ProtoFileLoader.parse(path, text);
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new InvalidSchemaException("Invalid Protobuf schema: " + what + " does not parse: " + clean(message), e);
        }
    }
}

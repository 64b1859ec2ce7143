package io.sluice.schema.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.squareup.wire.schema.ProtoFile;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import io.sluice.schema.InvalidPayloadException;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaReference;
import io.sluice.schema.SchemaType;

import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A .proto file linked with its imports: Wire's model for identity and compatibility, protobuf-java's
 * descriptors for payloads. The canonical form is Wire's rendering of the parsed file
 * ({@code ProtoFileElement.toSchema()}, as Confluent's); the record name is the first message's full
 * name; a payload starts with Confluent's message indexes.
 */
public final class ProtobufParsedSchema implements ParsedSchema {

    private final String original;
    private final ProtoFileElement element;
    private final Schema linked;
    private final FileDescriptor descriptor;
    private final List<SchemaReference> references;
    private final Map<String, String> importTexts;
    private final String canonical;
    private final ProtobufCodec codec;

    ProtobufParsedSchema(String original, ProtoFileElement element, Schema linked, FileDescriptor descriptor,
                         List<SchemaReference> references, Map<String, String> importTexts) {
        this.original = original;
        this.element = element;
        this.linked = linked;
        this.descriptor = descriptor;
        this.references = references;
        this.importTexts = Map.copyOf(importTexts);
        this.canonical = render(element);
        this.codec = new ProtobufCodec(descriptor);
    }

    @Override
    public SchemaType type() {
        return SchemaType.PROTOBUF;
    }

    @Override
    public String originalString() {
        return original;
    }

    @Override
    public String canonicalString() {
        return canonical;
    }

    @Override
    public ParsedSchema normalize() {
        ProtoFileElement normalized = ProtoNormalizer.normalize(element, linked);
        String text = render(normalized);
        if (text.equals(canonical)) {
            return this;
        }
        try {
            return ProtobufSchemaProvider.link(text, normalized, references, importTexts);
        } catch (InvalidSchemaException e) {
            throw new IllegalStateException("normalized .proto no longer links: " + e.getMessage(), e);
        }
    }

    /**
     * Wire's rendering without the banner it puts first ("formatted by Wire" and the source path):
     * comments that say nothing about the schema, and the path is one of ours.
     */
    static String render(ProtoFileElement file) {
        String text = file.toSchema();
        if (text.startsWith("// Proto schema formatted by Wire")) {
            int blank = text.indexOf("\n\n");
            if (blank >= 0) {
                text = text.substring(blank + 2);
            }
        }
        return text;
    }

    @Override
    public List<SchemaReference> references() {
        return references;
    }

    @Override
    public String recordName() {
        return descriptor.getMessageTypes().isEmpty() ? null : descriptor.getMessageTypes().get(0).getFullName();
    }

    @Override
    public List<String> readerIncompatibilities(ParsedSchema writer) {
        if (!(writer instanceof ProtobufParsedSchema w)) {
            return List.of("Incompatible because of different schema type: " + writer.type() + " to " + type());
        }
        // The same change can be met twice (as a nested type and through a field of that type): say it once.
        Set<String> messages = new LinkedHashSet<>();
        List<ProtobufDifference> differences;
        try {
            differences = ProtobufSchemaDiff.compare(w.linked, w.rootFile(), linked, rootFile());
        } catch (StackOverflowError e) {
            return List.of("the schemas are nested too deeply to compare");
        }
        for (ProtobufDifference d : differences) {
            if (!d.change().compatible()) {
                messages.add(d.toString());
            }
        }
        return List.copyOf(messages);
    }

    private ProtoFile rootFile() {
        return linked.protoFile(ProtoFileLoader.ROOT_PATH);
    }

    FileDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public String formatted(String format) {
        if ("serialized".equals(format)) {
            return java.util.Base64.getEncoder().encodeToString(descriptor.toProto().toByteArray());
        }
        return null;
    }

    @Override
    public void validate(ByteBuffer payload) throws InvalidPayloadException {
        codec.decode(payload);
    }

    @Override
    public byte[] fromJson(JsonNode value) throws InvalidPayloadException {
        return codec.encode(value);
    }

    @Override
    public JsonNode toJson(ByteBuffer payload) throws InvalidPayloadException {
        return codec.toJson(codec.decode(payload));
    }
}

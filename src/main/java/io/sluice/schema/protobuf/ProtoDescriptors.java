package io.sluice.schema.protobuf;

import com.google.protobuf.AnyProto;
import com.google.protobuf.ApiProto;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.SourceContextProto;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.TypeProto;
import com.google.protobuf.WrappersProto;
import com.squareup.wire.schema.ProtoFile;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.internal.SchemaEncoder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a Wire-linked schema into protobuf-java {@link FileDescriptor}s, so that payloads are decoded
 * by protobuf-java's own {@code DynamicMessage} and printed by its {@code JsonFormat}. Wire encodes
 * each file as a {@code FileDescriptorProto} (its {@code SchemaEncoder}, the one gRPC reflection
 * uses); the well-known {@code google/protobuf/*} files are protobuf-java's generated descriptors, so
 * that JsonFormat gives Timestamp, Duration, wrappers, Struct and Any their special JSON forms.
 */
final class ProtoDescriptors {

    private static final Map<String, FileDescriptor> GENERATED = Map.ofEntries(
            Map.entry("google/protobuf/any.proto", AnyProto.getDescriptor()),
            Map.entry("google/protobuf/api.proto", ApiProto.getDescriptor()),
            Map.entry("google/protobuf/descriptor.proto", DescriptorProtos.getDescriptor()),
            Map.entry("google/protobuf/duration.proto", DurationProto.getDescriptor()),
            Map.entry("google/protobuf/empty.proto", EmptyProto.getDescriptor()),
            Map.entry("google/protobuf/field_mask.proto", FieldMaskProto.getDescriptor()),
            Map.entry("google/protobuf/source_context.proto", SourceContextProto.getDescriptor()),
            Map.entry("google/protobuf/struct.proto", StructProto.getDescriptor()),
            Map.entry("google/protobuf/timestamp.proto", TimestampProto.getDescriptor()),
            Map.entry("google/protobuf/type.proto", TypeProto.getDescriptor()),
            Map.entry("google/protobuf/wrappers.proto", WrappersProto.getDescriptor()));

    private ProtoDescriptors() {
    }

    /** The descriptor of the file at {@code path} in {@code schema}, with its imports built first. */
    static FileDescriptor build(Schema schema, String path) throws DescriptorValidationException {
        return build(schema, new SchemaEncoder(schema), path, new HashMap<>(), new HashSet<>());
    }

    private static FileDescriptor build(Schema schema, SchemaEncoder encoder, String path,
                                        Map<String, FileDescriptor> built, Set<String> visiting)
            throws DescriptorValidationException {
        FileDescriptor known = GENERATED.get(path);
        if (known == null) {
            known = built.get(path);
        }
        if (known != null) {
            return known;
        }
        if (!visiting.add(path)) {
            throw new IllegalArgumentException("import cycle through " + path);
        }
        ProtoFile file = schema.protoFile(path);
        if (file == null) {
            throw new IllegalArgumentException("no file " + path + " in the linked schema");
        }
        FileDescriptorProto proto;
        try {
            proto = FileDescriptorProto.parseFrom(encoder.encode(file).toByteArray());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Wire encoded an unreadable descriptor for " + path, e);
        }
        List<FileDescriptor> dependencies = new ArrayList<>();
        for (String dependency : proto.getDependencyList()) {
            dependencies.add(build(schema, encoder, dependency, built, visiting));
        }
        FileDescriptor descriptor = FileDescriptor.buildFrom(proto, dependencies.toArray(new FileDescriptor[0]));
        visiting.remove(path);
        built.put(path, descriptor);
        return descriptor;
    }
}

package io.sluice.schema.protobuf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.sluice.schema.InvalidPayloadException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the payloads of one Protobuf schema in Confluent's wire format (message indexes,
 * then the message), and their JSON form (protobuf's canonical JSON mapping, as JsonFormat prints
 * it). Decoding is strict, because the broker validates what it stores: bytes that do not parse,
 * required fields missing, and fields the message does not declare (data written with some other
 * schema than the id says) are all refused.
 */
final class ProtobufCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileDescriptor file;
    private final JsonFormat.Printer printer;
    private final JsonFormat.Parser parser;

    ProtobufCodec(FileDescriptor file) {
        this.file = file;
        TypeRegistry.Builder types = TypeRegistry.newBuilder();
        addAll(file, types, new java.util.HashSet<>());
        TypeRegistry registry = types.build();
        this.printer = JsonFormat.printer().usingTypeRegistry(registry).omittingInsignificantWhitespace()
                .alwaysPrintFieldsWithNoPresence();
        this.parser = JsonFormat.parser().usingTypeRegistry(registry);
    }

    /** Every message of the file and its imports, so that google.protobuf.Any values print. */
    private static void addAll(FileDescriptor f, TypeRegistry.Builder types, java.util.Set<String> seen) {
        if (!seen.add(f.getName())) {
            return;
        }
        for (Descriptor d : f.getMessageTypes()) {
            types.add(d);
        }
        for (FileDescriptor dependency : f.getDependencies()) {
            addAll(dependency, types, seen);
        }
    }

    Descriptor firstMessage() throws InvalidPayloadException {
        if (file.getMessageTypes().isEmpty()) {
            throw new InvalidPayloadException("the Protobuf schema declares no message");
        }
        return file.getMessageTypes().get(0);
    }

    /** Decodes a whole payload: the indexes, then a message that uses every byte left. */
    DynamicMessage decode(ByteBuffer payload) throws InvalidPayloadException {
        ByteBuffer in = payload.duplicate();
        List<Integer> indexes = MessageIndexes.read(in);
        Descriptor type = MessageIndexes.resolve(file, indexes);
        DynamicMessage message;
        try {
            message = DynamicMessage.parseFrom(type, CodedInputStream.newInstance(in));
        } catch (IOException e) {
            throw new InvalidPayloadException("the payload is not a valid " + type.getFullName() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new InvalidPayloadException("the payload is not a valid " + type.getFullName(), e);
        }
        String unknown = firstUnknownField(message);
        if (unknown != null) {
            throw new InvalidPayloadException("the payload is not a valid " + type.getFullName() + ": " + unknown);
        }
        return message;
    }

    /** Encodes a JSON value as the schema's first message, with the header of the first message. */
    byte[] encode(JsonNode value) throws InvalidPayloadException {
        if (value == null || !value.isObject()) {
            throw new InvalidPayloadException("a Protobuf message's JSON form is an object");
        }
        Descriptor type = firstMessage();
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        try {
            parser.merge(value.toString(), builder);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidPayloadException("the JSON is not a valid " + type.getFullName() + ": " + e.getMessage(), e);
        }
        if (!builder.isInitialized()) {
            throw new InvalidPayloadException("the JSON is not a valid " + type.getFullName()
                    + ": missing required fields " + builder.findInitializationErrors());
        }
        DynamicMessage message = builder.build();
        ByteArrayOutputStream out = new ByteArrayOutputStream(MessageIndexes.FIRST_MESSAGE.length + message.getSerializedSize());
        try {
            out.write(MessageIndexes.FIRST_MESSAGE);
            message.writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    JsonNode toJson(Message message) throws InvalidPayloadException {
        try {
            return JSON.readTree(printer.print(message));
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new InvalidPayloadException("the " + message.getDescriptorForType().getFullName()
                    + " cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** The first field, anywhere in the message tree, that its message does not declare; null if none. */
    private static String firstUnknownField(Message root) {
        Deque<Message> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Message m = pending.pop();
            if (!m.getUnknownFields().asMap().isEmpty()) {
                return "field number " + m.getUnknownFields().asMap().keySet().iterator().next()
                        + " is not declared in " + m.getDescriptorForType().getFullName();
            }
            for (Map.Entry<FieldDescriptor, Object> field : m.getAllFields().entrySet()) {
                if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                    continue;
                }
                if (field.getKey().isRepeated()) {
                    for (Object element : (List<?>) field.getValue()) {
                        pending.push((Message) element);
                    }
                } else {
                    pending.push((Message) field.getValue());
                }
            }
        }
        return null;
    }
}

package io.sluice.schema.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.sluice.schema.InvalidPayloadException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Confluent's message-indexes header, which a Protobuf payload starts with after the schema id: a
 * zigzag varint count, then that many zigzag varint indexes naming the message (the first a
 * top-level message of the file, each next one a message nested in the previous). The single byte
 * 0 (count 0) is the common case, the first message: {@code [0]}.
 */
final class MessageIndexes {

    /** The header of the schema's first message. */
    static final byte[] FIRST_MESSAGE = {0};

    /** Deeper than any real schema nests messages; bounds what a hostile header makes us read. */
    private static final int MAX_DEPTH = 100;

    private MessageIndexes() {
    }

    /** Reads the header, leaving {@code in} at the message bytes. */
    static List<Integer> read(ByteBuffer in) throws InvalidPayloadException {
        int count = readZigZag(in);
        if (count == 0) {
            return List.of(0);
        }
        if (count < 0 || count > MAX_DEPTH) {
            throw new InvalidPayloadException("bad Protobuf message indexes: count " + count);
        }
        List<Integer> indexes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = readZigZag(in);
            if (index < 0) {
                throw new InvalidPayloadException("bad Protobuf message indexes: negative index " + index);
            }
            indexes.add(index);
        }
        return indexes;
    }

    /** The message the indexes name in {@code file}; map-entry types are not messages here, as in Confluent's numbering. */
    static Descriptor resolve(FileDescriptor file, List<Integer> indexes) throws InvalidPayloadException {
        List<Descriptor> level = file.getMessageTypes();
        Descriptor message = null;
        for (int index : indexes) {
            if (index >= level.size()) {
                throw new InvalidPayloadException("bad Protobuf message indexes " + indexes + ": the schema has "
                        + (message == null ? level.size() + " top-level messages"
                        : level.size() + " messages nested in " + message.getFullName()));
            }
            message = level.get(index);
            level = nestedMessages(message);
        }
        return message;
    }

    static List<Descriptor> nestedMessages(Descriptor message) {
        List<Descriptor> nested = new ArrayList<>();
        for (Descriptor d : message.getNestedTypes()) {
            if (!d.getOptions().getMapEntry()) {
                nested.add(d);
            }
        }
        return nested;
    }

    private static int readZigZag(ByteBuffer in) throws InvalidPayloadException {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!in.hasRemaining()) {
                throw new InvalidPayloadException("bad Protobuf message indexes: the payload ends inside them");
            }
            byte b = in.get();
            if (shift == 28 && (b & 0xF0) != 0) {
                break;
            }
            raw |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new InvalidPayloadException("bad Protobuf message indexes: a varint longer than 32 bits");
    }
}

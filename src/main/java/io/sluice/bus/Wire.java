package io.sluice.bus;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers for the binary wire form of bus messages between nodes: length-prefixed UTF-8 strings
 * (-1 for null), length-prefixed byte regions, and count-prefixed lists of partitions and of
 * partition offsets (in their order), read with an explicit cursor.
 */
public final class Wire {
    private Wire() {
    }

    public static void writeString(Buffer out, String s) {
        if (s == null) {
            out.appendInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.appendInt(b.length).appendBytes(b);
    }

    public static void writeStrings(Buffer out, List<String> strings) {
        out.appendInt(strings.size());
        for (String s : strings) {
            writeString(out, s);
        }
    }

    public static void writeTopicPartition(Buffer out, TopicPartition tp) {
        writeString(out, tp.topic());
        out.appendInt(tp.partition());
    }

    public static void writePartitions(Buffer out, List<TopicPartition> partitions) {
        out.appendInt(partitions.size());
        for (TopicPartition tp : partitions) {
            writeTopicPartition(out, tp);
        }
    }

    public static void writeOffsets(Buffer out, Map<TopicPartition, Long> offsets) {
        out.appendInt(offsets.size());
        offsets.forEach((tp, offset) -> {
            writeTopicPartition(out, tp);
            out.appendLong(offset);
        });
    }

    public static void writeBytes(Buffer out, ByteBuffer bytes) {
        int n = bytes.remaining();
        out.appendInt(n);
        if (bytes.hasArray()) {
            out.appendBytes(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
        } else {
            byte[] copy = new byte[n];
            bytes.duplicate().get(copy);
            out.appendBytes(copy);
        }
    }

    /** A read position over a received buffer. */
    public static final class Reader {
        private final Buffer in;
        private int pos;

        public Reader(Buffer in, int pos) {
            this.in = in;
            this.pos = pos;
        }

        public int readInt() {
            int v = in.getInt(pos);
            pos += 4;
            return v;
        }

        public long readLong() {
            long v = in.getLong(pos);
            pos += 8;
            return v;
        }

        public byte readByte() {
            return in.getByte(pos++);
        }

        public boolean readBoolean() {
            return readByte() != 0;
        }

        public String readString() {
            int n = readInt();
            if (n < 0) {
                return null;
            }
            String s = in.getString(pos, pos + n, StandardCharsets.UTF_8.name());
            pos += n;
            return s;
        }

        public List<String> readStrings() {
            int n = readCount("strings");
            List<String> strings = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                strings.add(readString());
            }
            return strings;
        }

        public TopicPartition readTopicPartition() {
            return new TopicPartition(readString(), readInt());
        }

        public List<TopicPartition> readPartitions() {
            int n = readCount("partitions");
            List<TopicPartition> partitions = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                partitions.add(readTopicPartition());
            }
            return partitions;
        }

        /** Offsets in the order they were written. */
        public Map<TopicPartition, Long> readOffsets() {
            int n = readCount("offsets");
            Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                offsets.put(readTopicPartition(), readLong());
            }
            return offsets;
        }

        /** A count of {@code what} to follow: one that cannot be is refused before anything is allocated for it. */
        public int readCount(String what) {
            int n = readInt();
            if (n < 0) {
                throw new IllegalArgumentException("a list of " + n + " " + what);
            }
            return n;
        }

        /** The next length-prefixed region, copied into a heap buffer the receiver owns. */
        public ByteBuffer readBytes() {
            int n = readInt();
            ByteBuffer b = ByteBuffer.wrap(in.getBytes(pos, pos + n));
            pos += n;
            return b;
        }
    }
}

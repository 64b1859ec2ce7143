package io.sluice.group;

import io.sluice.bus.TopicPartition;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of {@link OffsetsTopic}'s records: versioned binary keys and values, as Kafka's group
 * coordinator writes them, and the JSON text records of earlier Sluice versions, still read so
 * that a node upgraded over an existing data directory keeps its committed offsets.
 *
 * <p>Binary layout (big-endian; a {@code string} is an int16 length then that many UTF-8 bytes,
 * length -1 for null where marked nullable):
 * <pre>
 * offset commit key    int16 version = 1 (0 read too)    Kafka's OffsetCommitKey v0/v1
 *                      string group, string topic, int32 partition
 * offset commit value  int16 version = 3                 Kafka's OffsetCommitValue v3
 *                      int64 offset, int32 leader epoch (-1: unknown), string metadata,
 *                      int64 commit timestamp (epoch ms)
 * group key            int16 version = 2                 Kafka's GroupMetadataKey v2
 *                      string group
 * group value          int16 version = 1                 Sluice's own, not Kafka's GroupMetadataValue
 *                      nullable string assignor, int32 generation, int64 updated at (epoch ms),
 *                      int32 length + UTF-8 JSON array of members (null: -1), as
 *                      {@link ConsumerGroup#record} writes them
 * tombstone            the key with a null value: the commit, or the group, is deleted
 * </pre>
 * Keys are compared byte for byte by compaction, so one key has exactly one encoding.
 *
 * <p>The two formats are told apart by their first byte: a binary key or value starts with the high
 * byte of its version, {@code 0x00}; the JSON records started with <code>{</code>:
 * <pre>
 * key   {"type":"offset","group":"g","topic":"t","partition":0}  value {"offset":123,"committed_at":1700000000000}
 * key   {"type":"group","group":"g"}                             value the group document ({@link OffsetsTopic#groupValue})
 * </pre>
 * A JSON record is never rewritten; a later binary record of the same commit supersedes it on
 * replay. Compaction does not see the two keys as one, though, so deleting a commit or a group
 * also writes a tombstone under the JSON key ({@link #legacyOffsetKey}, {@link #legacyGroupKey}):
 * otherwise the JSON record would outlive the binary tombstone and bring the commit back.
 *
 * <p>Malformed bytes are rejected with an {@link IllegalArgumentException}, never half decoded.
 */
public final class OffsetsTopicCodec {
    static final short OFFSET_KEY_V0 = 0;
    static final short OFFSET_KEY_V1 = 1;
    static final short GROUP_KEY_V2 = 2;
    static final short OFFSET_VALUE_V3 = 3;
    static final short GROUP_VALUE_V1 = 1;
    /** Leader epoch of a commit that names none. */
    public static final int NO_LEADER_EPOCH = -1;

    private OffsetsTopicCodec() {
    }

    /** What a key of the offsets topic names. */
    public sealed interface Key permits OffsetKey, GroupKey {
        String group();
    }

    /** The committed offset of {@code group} on {@code tp}. */
    public record OffsetKey(String group, TopicPartition tp) implements Key {
    }

    /** The metadata (generation, assignor, members) of {@code group}. */
    public record GroupKey(String group) implements Key {
    }

    /** An offset commit: where the group resumes, and when it was committed. */
    public record OffsetCommit(long offset, int leaderEpoch, String metadata, long commitTimestamp) {
        public OffsetCommit {
            if (metadata == null) {
                throw new IllegalArgumentException("metadata is never null (empty when absent)");
            }
        }
    }

    public static byte[] offsetKey(String group, TopicPartition tp) {
        byte[] g = utf8(group);
        byte[] t = utf8(tp.topic());
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + g.length + 2 + t.length + 4);
        b.putShort(OFFSET_KEY_V1);
        putString(b, g);
        putString(b, t);
        b.putInt(tp.partition());
        return b.array();
    }

    public static byte[] groupKey(String group) {
        byte[] g = utf8(group);
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + g.length);
        b.putShort(GROUP_KEY_V2);
        putString(b, g);
        return b.array();
    }

    public static byte[] offsetValue(OffsetCommit commit) {
        byte[] m = utf8(commit.metadata());
        ByteBuffer b = ByteBuffer.allocate(2 + 8 + 4 + 2 + m.length + 8);
        b.putShort(OFFSET_VALUE_V3);
        b.putLong(commit.offset());
        b.putInt(commit.leaderEpoch());
        putString(b, m);
        b.putLong(commit.commitTimestamp());
        return b.array();
    }

    /** The group document ({@code assignor}, {@code generation}, {@code updated_at}, {@code members}) in binary. */
    public static byte[] groupValue(JsonObject group) {
        String assignor = group.getString("assignor");
        byte[] a = assignor == null ? null : utf8(assignor);
        JsonArray members = group.getJsonArray("members");
        byte[] m = members == null ? null : members.encode().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + (a == null ? 0 : a.length) + 4 + 8 + 4 + (m == null ? 0 : m.length));
        b.putShort(GROUP_VALUE_V1);
        if (a == null) {
            b.putShort((short) -1);
        } else {
            putString(b, a);
        }
        b.putInt(group.getInteger("generation", 0));
        b.putLong(group.getLong("updated_at", 0L));
        if (m == null) {
            b.putInt(-1);
        } else {
            b.putInt(m.length);
            b.put(m);
        }
        return b.array();
    }

    /** The JSON key an earlier version wrote for this commit: tombstoned with the binary one. */
    public static byte[] legacyOffsetKey(String group, TopicPartition tp) {
        // The field order is the one those versions wrote: compaction compares the bytes.
        return new JsonObject().put("type", "offset").put("group", group).put("topic", tp.topic())
                .put("partition", tp.partition()).encode().getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON key an earlier version wrote for this group: tombstoned with the binary one. */
    public static byte[] legacyGroupKey(String group) {
        return new JsonObject().put("type", "group").put("group", group).encode().getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes a key, binary or JSON. */
    public static Key decodeKey(byte[] key) {
        if (isJson(key)) {
            return legacyKey(json(key));
        }
        return decode(key, b -> {
            short version = b.getShort();
            Key k = switch (version) {
                case OFFSET_KEY_V0, OFFSET_KEY_V1 -> new OffsetKey(nonEmpty(getString(b), "group"),
                        new TopicPartition(getString(b), nonNegative(b.getInt(), "partition")));
                case GROUP_KEY_V2 -> new GroupKey(nonEmpty(getString(b), "group"));
                default -> throw new IllegalArgumentException("unknown key version " + version);
            };
            return k;
        });
    }

    /** Decodes the value of an offset commit key, binary or JSON. */
    public static OffsetCommit decodeOffsetValue(byte[] value) {
        if (isJson(value)) {
            JsonObject v = json(value);
            Object offset = v.getValue("offset");
            if (!(offset instanceof Number n)) {
                throw new IllegalArgumentException("offset commit without an offset: " + v.encode());
            }
            Object at = v.getValue("committed_at");
            return new OffsetCommit(n.longValue(), NO_LEADER_EPOCH, "", at instanceof Number t ? t.longValue() : 0L);
        }
        return decode(value, b -> {
            short version = b.getShort();
            if (version != OFFSET_VALUE_V3) {
                throw new IllegalArgumentException("unknown offset commit value version " + version);
            }
            return new OffsetCommit(b.getLong(), b.getInt(), getString(b), b.getLong());
        });
    }

    /** Decodes the value of a group key, binary or JSON, into the group document. */
    public static JsonObject decodeGroupValue(byte[] value) {
        if (isJson(value)) {
            return json(value);
        }
        return decode(value, b -> {
            short version = b.getShort();
            if (version != GROUP_VALUE_V1) {
                throw new IllegalArgumentException("unknown group value version " + version);
            }
            JsonObject group = new JsonObject().put("assignor", getNullableString(b)).put("generation", b.getInt())
                    .put("updated_at", b.getLong());
            int length = b.getInt();
            if (length >= 0) {
                group.put("members", members(new String(getBytes(b, length), StandardCharsets.UTF_8)));
            } else if (length != -1) {
                throw new IllegalArgumentException("negative members length " + length);
            }
            return group;
        });
    }

    private static JsonArray members(String text) {
        try {
            return new JsonArray(text);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("group members are not a JSON array: " + e.getMessage());
        }
    }

    private interface Reader<T> {
        T read(ByteBuffer b);
    }

    /** Runs {@code reader} over all of {@code bytes}: too few bytes or bytes left over are malformed. */
    private static <T> T decode(byte[] bytes, Reader<T> reader) {
        if (bytes == null || bytes.length < 2 || bytes[0] != 0) {
            throw new IllegalArgumentException("neither a binary nor a JSON offsets-topic record");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        T out;
        try {
            out = reader.read(b);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated offsets-topic record (" + bytes.length + " bytes)");
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " bytes after the end of an offsets-topic record");
        }
        return out;
    }

    private static boolean isJson(byte[] bytes) {
        return bytes != null && bytes.length > 0 && bytes[0] == '{';
    }

    private static JsonObject json(byte[] bytes) {
        try {
            return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        } catch (DecodeException e) {
            throw new IllegalArgumentException("malformed JSON offsets-topic record: " + e.getMessage());
        }
    }

    private static Key legacyKey(JsonObject key) {
        Object type = key.getValue("type");
        Object group = key.getValue("group");
        if (!(group instanceof String g) || g.isEmpty()) {
            throw new IllegalArgumentException("JSON key without a group: " + key.encode());
        }
        if ("offset".equals(type) && key.getValue("topic") instanceof String t && key.getValue("partition") instanceof Integer p) {
            return new OffsetKey(g, new TopicPartition(t, nonNegative(p, "partition")));
        }
        if ("group".equals(type)) {
            return new GroupKey(g);
        }
        throw new IllegalArgumentException("unknown JSON key: " + key.encode());
    }

    private static void putString(ByteBuffer b, byte[] utf8) {
        b.putShort((short) utf8.length);
        b.put(utf8);
    }

    private static String getString(ByteBuffer b) {
        String s = getNullableString(b);
        if (s == null) {
            throw new IllegalArgumentException("null string where one is required");
        }
        return s;
    }

    private static String getNullableString(ByteBuffer b) {
        short length = b.getShort();
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative string length " + length);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(getBytes(b, length))).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("string is not UTF-8");
        }
    }

    private static byte[] getBytes(ByteBuffer b, int length) {
        if (length > b.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] out = new byte[length];
        b.get(out);
        return out;
    }

    private static byte[] utf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("string of " + bytes.length + " bytes is too long for an int16 length");
        }
        return bytes;
    }

    private static String nonEmpty(String s, String what) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty " + what);
        }
        return s;
    }

    private static int nonNegative(int n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException("negative " + what + " " + n);
        }
        return n;
    }
}

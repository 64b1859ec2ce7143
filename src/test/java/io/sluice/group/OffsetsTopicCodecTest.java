package io.sluice.group;

import io.sluice.bus.TopicPartition;
import io.sluice.group.OffsetsTopicCodec.GroupKey;
import io.sluice.group.OffsetsTopicCodec.OffsetCommit;
import io.sluice.group.OffsetsTopicCodec.OffsetKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OffsetsTopicCodecTest {
    private static final TopicPartition TP = new TopicPartition("orders", 7);

    @Test
    void anOffsetCommitKeyHasKafkasLayout() {
        byte[] key = OffsetsTopicCodec.offsetKey("g", TP);
        // version 1, "g", "orders", partition 7
        assertEquals("0001" + "0001" + "67" + "0006" + "6f7264657273" + "00000007", HexFormat.of().formatHex(key));
        assertEquals(new OffsetKey("g", TP), OffsetsTopicCodec.decodeKey(key));
    }

    @Test
    void anOffsetCommitValueHasKafkasVersion3Layout() {
        byte[] value = OffsetsTopicCodec.offsetValue(new OffsetCommit(1041, 5, "m", 1_700_000_000_000L));
        ByteBuffer b = ByteBuffer.wrap(value);
        assertEquals(3, b.getShort());
        assertEquals(1041, b.getLong());
        assertEquals(5, b.getInt());
        assertEquals(1, b.getShort());
        assertEquals('m', b.get());
        assertEquals(1_700_000_000_000L, b.getLong());
        assertEquals(0, b.remaining());
    }

    @Test
    void keysAndValuesRoundTrip() {
        TopicPartition unicode = new TopicPartition("zählung", 0);
        assertEquals(new OffsetKey("gruppé", unicode), OffsetsTopicCodec.decodeKey(OffsetsTopicCodec.offsetKey("gruppé", unicode)));
        assertEquals(new GroupKey("g-1"), OffsetsTopicCodec.decodeKey(OffsetsTopicCodec.groupKey("g-1")));
        for (OffsetCommit c : List.of(new OffsetCommit(0, OffsetsTopicCodec.NO_LEADER_EPOCH, "", 0),
                new OffsetCommit(Long.MAX_VALUE, 12, "résumé", 1_700_000_000_000L))) {
            assertEquals(c, OffsetsTopicCodec.decodeOffsetValue(OffsetsTopicCodec.offsetValue(c)));
        }
        JsonObject group = OffsetsTopic.groupValue("sticky", 7, 123L).put("members", new JsonArray()
                .add(new JsonObject().put("member_id", "m-1").put("assigned", new JsonArray().add(new JsonObject()
                        .put("topic", "orders").put("partition", 0)))));
        assertEquals(group, OffsetsTopicCodec.decodeGroupValue(OffsetsTopicCodec.groupValue(group)));
        JsonObject bare = new JsonObject().put("assignor", null).put("generation", 0).put("updated_at", 9L);
        assertEquals(bare, OffsetsTopicCodec.decodeGroupValue(OffsetsTopicCodec.groupValue(new JsonObject().put("updated_at", 9L))));
    }

    @Test
    void theJsonRecordsOfEarlierVersionsAreStillRead() {
        // Exactly the bytes those versions stored.
        byte[] key = "{\"type\":\"offset\",\"group\":\"g\",\"topic\":\"orders\",\"partition\":7}".getBytes(StandardCharsets.UTF_8);
        byte[] value = "{\"offset\":1041,\"committed_at\":1700000000000}".getBytes(StandardCharsets.UTF_8);
        assertEquals(new OffsetKey("g", TP), OffsetsTopicCodec.decodeKey(key));
        assertEquals(new OffsetCommit(1041, OffsetsTopicCodec.NO_LEADER_EPOCH, "", 1_700_000_000_000L),
                OffsetsTopicCodec.decodeOffsetValue(value));
        assertArrayEquals(key, OffsetsTopicCodec.legacyOffsetKey("g", TP), "a deletion tombstones the old key's exact bytes");

        byte[] groupKey = "{\"type\":\"group\",\"group\":\"g\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(new GroupKey("g"), OffsetsTopicCodec.decodeKey(groupKey));
        assertArrayEquals(groupKey, OffsetsTopicCodec.legacyGroupKey("g"));
        JsonObject doc = OffsetsTopic.groupValue("range", 3, 5L);
        assertEquals(doc, OffsetsTopicCodec.decodeGroupValue(doc.encode().getBytes(StandardCharsets.UTF_8)));
    }

    static List<byte[]> malformedKeys() {
        byte[] good = OffsetsTopicCodec.offsetKey("g", TP);
        return List.of(
                new byte[0],
                new byte[] {0},
                Arrays.copyOf(good, good.length - 1),                      // truncated partition
                Arrays.copyOf(good, good.length + 1),                      // a byte too many
                HexFormat.of().parseHex("0009" + "0001" + "67"),           // unknown version
                HexFormat.of().parseHex("0002" + "0005" + "67"),           // string longer than the record
                HexFormat.of().parseHex("0002" + "fffe"),                  // negative string length
                HexFormat.of().parseHex("0002" + "ffff"),                  // null group
                HexFormat.of().parseHex("0002" + "0000"),                  // empty group
                HexFormat.of().parseHex("0002" + "0002" + "c328"),         // not UTF-8
                HexFormat.of().parseHex("0001" + "0001" + "67" + "0001" + "74" + "ffffffff"), // negative partition
                "not json".getBytes(StandardCharsets.UTF_8),
                "{\"type\":\"offset\"".getBytes(StandardCharsets.UTF_8),   // torn JSON
                "{\"type\":\"offset\",\"topic\":\"t\",\"partition\":0}".getBytes(StandardCharsets.UTF_8), // no group
                "{\"type\":\"member\",\"group\":\"g\"}".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("malformedKeys")
    void aMalformedKeyIsRejected(byte[] key) {
        assertThrows(IllegalArgumentException.class, () -> OffsetsTopicCodec.decodeKey(key));
    }

    @Test
    void malformedValuesAreRejected() {
        byte[] good = OffsetsTopicCodec.offsetValue(new OffsetCommit(1, 2, "", 3));
        assertThrows(IllegalArgumentException.class, () -> OffsetsTopicCodec.decodeOffsetValue(Arrays.copyOf(good, good.length - 1)));
        byte[] wrongVersion = good.clone();
        wrongVersion[1] = 4;
        assertThrows(IllegalArgumentException.class, () -> OffsetsTopicCodec.decodeOffsetValue(wrongVersion));
        assertThrows(IllegalArgumentException.class, () -> OffsetsTopicCodec.decodeOffsetValue(
                "{\"committed_at\":1}".getBytes(StandardCharsets.UTF_8)));

        byte[] group = OffsetsTopicCodec.groupValue(OffsetsTopic.groupValue("sticky", 1, 2L).put("members", new JsonArray()));
        assertThrows(IllegalArgumentException.class, () -> OffsetsTopicCodec.decodeGroupValue(Arrays.copyOf(group, group.length - 1)));
        byte[] notAnArray = OffsetsTopicCodec.groupValue(OffsetsTopic.groupValue("sticky", 1, 2L));
        byte[] members = ByteBuffer.allocate(notAnArray.length + 2).put(notAnArray, 0, notAnArray.length - 4)
                .putInt(2).put((byte) '{').put((byte) '}').array();
        assertThrows(IllegalArgumentException.class, () -> OffsetsTopicCodec.decodeGroupValue(members));
    }
}

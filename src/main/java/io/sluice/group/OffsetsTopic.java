package io.sluice.group;

import io.sluice.bus.TopicPartition;
import io.vertx.core.json.JsonObject;

/**
 * The internal, compacted topic {@value #NAME} where group coordinators keep what must survive
 * them: committed offsets and group metadata. Records are JSON (readable with an ordinary fetch);
 * keys are built with a fixed field order so that compaction, which compares key bytes, keeps
 * exactly the latest record of each.
 * <pre>
 * offset commit:  key {"type":"offset","group":"g","topic":"t","partition":0}
 *                 value {"offset":123,"committed_at":1700000000000}       (null: deleted)
 * group:          key {"type":"group","group":"g"}
 *                 value {"assignor":"sticky","generation":7,"updated_at":...,"members":[{"member_id":..,
 *                        "address":..,"node":..,"client":..,"topics":[..],"session_timeout_ms":..,
 *                        "assigned":[{"topic":"t","partition":0}]}]}           (null: group deleted)
 * </pre>
 * The coordinator of group g is the leader of partition {@code abs(g.hashCode()) % partitions},
 * as in Kafka.
 */
public final class OffsetsTopic {
    public static final String NAME = "__consumer_offsets";

    private OffsetsTopic() {
    }

    public static int partitionFor(String group, int partitions) {
        return (group.hashCode() & 0x7fffffff) % partitions;
    }

    public static JsonObject offsetKey(String group, TopicPartition tp) {
        return new JsonObject().put("type", "offset").put("group", group).put("topic", tp.topic()).put("partition", tp.partition());
    }

    public static JsonObject offsetValue(long offset, long now) {
        return new JsonObject().put("offset", offset).put("committed_at", now);
    }

    public static JsonObject groupKey(String group) {
        return new JsonObject().put("type", "group").put("group", group);
    }

    public static JsonObject groupValue(String assignor, int generation, long now) {
        return new JsonObject().put("assignor", assignor).put("generation", generation).put("updated_at", now);
    }

    /** A record line in the form the produce parser takes: {@code {"partition":p,"key":...,"value":...}}. */
    public static byte[] record(int partition, JsonObject key, JsonObject value) {
        JsonObject r = new JsonObject().put("partition", partition).put("key", key);
        r.put("value", value);
        return r.toBuffer().getBytes();
    }
}

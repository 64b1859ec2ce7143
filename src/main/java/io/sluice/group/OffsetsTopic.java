package io.sluice.group;

import io.vertx.core.json.JsonObject;

/**
 * The internal, compacted topic {@value #NAME} where group coordinators keep what must survive
 * them: committed offsets and group metadata, in the binary records of {@link OffsetsTopicCodec}
 * (one encoding per key, so that compaction, which compares key bytes, keeps exactly the latest
 * record of each). The group document a group record carries:
 * <pre>
 * {"assignor":"sticky","generation":7,"updated_at":...,"members":[{"member_id":..,
 *  "address":..,"node":..,"client":..,"topics":[..],"session_timeout_ms":..,
 *  "assigned":[{"topic":"t","partition":0}]}]}
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

    public static JsonObject groupValue(String assignor, int generation, long now) {
        return new JsonObject().put("assignor", assignor).put("generation", generation).put("updated_at", now);
    }
}

package io.sluice.group;

import io.sluice.common.ErrorCode;
import io.sluice.bus.OffsetsRequest;
import io.sluice.bus.OffsetsResponse;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.MetadataCache;
import io.sluice.cluster.TopicMetadata;
import io.sluice.group.ConsumerGroup.Member;
import io.sluice.group.assign.PartitionAssignor;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.partition.PartitionClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What operators see and do with groups: descriptions with lag, offset resets (earliest, latest,
 * a timestamp, exact offsets), the JSON shapes of offsets, and the lag gauges in {@code /metrics}.
 */
public final class GroupAdmin {
    private final MetadataCache metadata;
    private final PartitionClient partitions;
    private final SluiceMetrics metrics;

    public GroupAdmin(MetadataCache metadata, PartitionClient partitions, SluiceMetrics metrics) {
        this.metadata = metadata;
        this.partitions = partitions;
        this.metrics = metrics;
    }

    /** State, generation, members (node, client address, subscription, assignment) and offsets with lag. */
    Future<JsonObject> describe(ConsumerGroup g) {
        Set<TopicPartition> tps = new TreeSet<>(PartitionAssignor.ORDER);
        tps.addAll(g.committed.keySet());
        g.members.values().forEach(m -> tps.addAll(m.assigned));
        Map<TopicPartition, Long> committed = new TreeMap<>(PartitionAssignor.ORDER);
        committed.putAll(g.committed);
        Map<TopicPartition, String> owners = new LinkedHashMap<>();
        g.members.values().forEach(m -> m.assigned.forEach(tp -> owners.put(tp, m.id)));
        JsonArray members = new JsonArray();
        for (Member m : g.members.values()) {
            members.add(new JsonObject().put("member_id", m.id).put("node", m.node).put("client", m.client)
                    .put("subscription", new JsonArray(m.subscription.entries()))
                    .put("assignment", ConsumerGroup.partitionsJson(m.assigned)));
        }
        JsonObject base = new JsonObject().put("group_id", g.id)
                .put("state", ConsumerGroup.stateName(g.active() ? g.state : ConsumerGroup.State.EMPTY))
                .put("generation", g.generation).put("assignor", g.assignor).put("members", members);
        return highWatermarks(tps).map(hws -> {
            JsonArray offsets = new JsonArray();
            for (TopicPartition tp : tps) {
                JsonObject o = new JsonObject().put("topic", tp.topic()).put("partition", tp.partition());
                Long c = committed.get(tp);
                Long hw = hws.get(tp);
                o.put("committed_offset", c);
                o.put("high_watermark", hw);
                if (hw != null) {
                    long lag = Math.max(0, hw - (c == null ? 0 : c));
                    o.put("lag", lag);
                    metrics.groupLag(g.id, tp, lag);
                }
                o.put("owner", owners.get(tp));
                offsets.add(o);
            }
            return base.put("offsets", offsets);
        });
    }

    private Future<Map<TopicPartition, Long>> highWatermarks(Collection<TopicPartition> tps) {
        List<TopicPartition> order = new ArrayList<>(tps);
        List<Future<OffsetsResponse>> asks = new ArrayList<>();
        for (TopicPartition tp : order) {
            asks.add(partitions.offsets(new OffsetsRequest(tp, OffsetsRequest.NO_TIMESTAMP)));
        }
        return Future.join(asks).transform(ignored -> {
            Map<TopicPartition, Long> out = new LinkedHashMap<>();
            for (int i = 0; i < order.size(); i++) {
                if (asks.get(i).succeeded()) {
                    out.put(order.get(i), asks.get(i).result().highWatermark());
                }
            }
            return Future.succeededFuture(out);
        });
    }

    /** Refreshes the lag gauges of {@code g}. */
    Future<?> refreshLag(ConsumerGroup g) {
        return describe(g);
    }

    /**
     * The offsets a reset moves {@code g} to: {@code to} = earliest, latest, an epoch-ms
     * timestamp, or exact (with {@code offsets}); over the partitions of {@code topics} if given,
     * else over those the group has committed.
     */
    Future<Map<TopicPartition, Long>> reset(ConsumerGroup g, JsonObject req) {
        if (g.active()) {
            throw new SluiceException(ErrorCode.GROUP_NOT_EMPTY, "group '" + g.id + "' has " + g.members.size()
                    + " active member(s); offsets can only be reset while it is empty");
        }
        Object to = req.getValue("to");
        if ("exact".equals(to) || (to == null && req.containsKey("offsets"))) {
            Map<TopicPartition, Long> exact = parseOffsets(req.getJsonArray("offsets"));
            validatePartitions(exact.keySet());
            return Future.succeededFuture(exact);
        }
        long timestamp;
        if ("earliest".equals(to)) {
            timestamp = -2;
        } else if ("latest".equals(to)) {
            timestamp = -1;
        } else if (to instanceof Number n && n.longValue() >= 0) {
            timestamp = n.longValue();
        } else if (to instanceof String s && s.matches("\\d+")) {
            timestamp = Long.parseLong(s);
        } else {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "'to' must be earliest, latest, an epoch-ms timestamp or exact");
        }
        Set<TopicPartition> targets = new TreeSet<>(PartitionAssignor.ORDER);
        JsonArray topics = req.getJsonArray("topics");
        if (topics != null) {
            for (Object t : topics) {
                TopicMetadata tm = metadata.topic(String.valueOf(t));
                for (int p = 0; p < tm.partitionCount(); p++) {
                    targets.add(new TopicPartition(tm.name(), p));
                }
            }
        } else {
            targets.addAll(g.committed.keySet());
        }
        List<TopicPartition> order = new ArrayList<>(targets);
        List<Future<OffsetsResponse>> asks = new ArrayList<>();
        for (TopicPartition tp : order) {
            asks.add(partitions.offsets(new OffsetsRequest(tp, timestamp >= 0 ? timestamp : OffsetsRequest.NO_TIMESTAMP)));
        }
        return Future.all(asks).map(ignored -> {
            Map<TopicPartition, Long> out = new LinkedHashMap<>();
            for (int i = 0; i < order.size(); i++) {
                OffsetsResponse o = asks.get(i).result();
                out.put(order.get(i), timestamp == -2 ? o.logStartOffset() : timestamp == -1 ? o.highWatermark() : o.timestampOffset());
            }
            return out;
        });
    }

    /** Fails with 404 for a topic or partition that does not exist. */
    void validatePartitions(Collection<TopicPartition> tps) {
        for (TopicPartition tp : tps) {
            metadata.partition(tp);
        }
    }

    void forget(String group) {
        metrics.removeGroupLag(group);
    }

    /** {@code [{topic, partition, offset}]} → offsets, or 400 naming what is wrong. */
    public static Map<TopicPartition, Long> parseOffsets(JsonArray offsets) {
        if (offsets == null || offsets.isEmpty()) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "'offsets' must be a non-empty array of {topic, partition, offset}");
        }
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        for (Object o : offsets) {
            if (!(o instanceof JsonObject j) || !(j.getValue("topic") instanceof String t)
                    || !(j.getValue("partition") instanceof Integer p) || p < 0
                    || !(j.getValue("offset") instanceof Integer || j.getValue("offset") instanceof Long)
                    || j.getLong("offset") < 0) {
                throw new SluiceException(ErrorCode.BAD_REQUEST, "each offset needs 'topic' (string), 'partition' "
                        + "(integer >= 0) and 'offset' (integer >= 0): " + o);
            }
            out.put(new TopicPartition(t, p), j.getLong("offset"));
        }
        return out;
    }

    public static JsonArray offsetsArray(Map<TopicPartition, Long> offsets) {
        JsonArray out = new JsonArray();
        offsets.forEach((tp, o) -> out.add(new JsonObject().put("topic", tp.topic()).put("partition", tp.partition()).put("offset", o)));
        return out;
    }

    static JsonObject offsetsJson(ConsumerGroup g) {
        return new JsonObject().put("group_id", g.id).put("offsets", offsetsArray(g.committed));
    }
}

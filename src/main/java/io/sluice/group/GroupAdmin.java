package io.sluice.group;

import io.sluice.bus.GroupReply.GroupDescription;
import io.sluice.bus.GroupReply.MemberDescription;
import io.sluice.bus.GroupReply.PartitionDescription;
import io.sluice.bus.GroupRequest.ResetOffsets;
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
 * a timestamp, exact offsets), and the lag gauges in {@code /metrics}.
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
    Future<GroupDescription> describe(ConsumerGroup g) {
        Set<TopicPartition> tps = new TreeSet<>(PartitionAssignor.ORDER);
        tps.addAll(g.committed.keySet());
        g.members.values().forEach(m -> tps.addAll(m.assigned));
        Map<TopicPartition, Long> committed = new TreeMap<>(PartitionAssignor.ORDER);
        committed.putAll(g.committed);
        Map<TopicPartition, String> owners = new LinkedHashMap<>();
        g.members.values().forEach(m -> m.assigned.forEach(tp -> owners.put(tp, m.id)));
        // The group as it is now: it may change while the high watermarks are asked for.
        List<MemberDescription> members = new ArrayList<>();
        for (Member m : g.members.values()) {
            members.add(new MemberDescription(m.id, m.node, m.client, m.subscription.entries(), m.assigned));
        }
        String state = ConsumerGroup.stateName(g.active() ? g.state : ConsumerGroup.State.EMPTY);
        int generation = g.generation;
        String assignor = g.assignor;
        return highWatermarks(tps).map(hws -> {
            List<PartitionDescription> offsets = new ArrayList<>();
            for (TopicPartition tp : tps) {
                PartitionDescription o = new PartitionDescription(tp, committed.get(tp), hws.get(tp), owners.get(tp));
                if (o.lag() != null) {
                    metrics.groupLag(g.id, tp, o.lag());
                }
                offsets.add(o);
            }
            return new GroupDescription(g.id, state, generation, assignor, members, offsets);
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
     * The offsets {@code reset} moves {@code g} to: its exact offsets, or those at its timestamp
     * over the partitions of its topics if given, else over those the group has committed.
     */
    Future<Map<TopicPartition, Long>> reset(ConsumerGroup g, ResetOffsets reset) {
        if (g.active()) {
            throw new SluiceException(ErrorCode.GROUP_NOT_EMPTY, "group '" + g.id + "' has " + g.members.size()
                    + " active member(s); offsets can only be reset while it is empty");
        }
        if (reset.isExact()) {
            validatePartitions(reset.exact().keySet());
            return Future.succeededFuture(reset.exact());
        }
        long timestamp = reset.timestamp();
        Set<TopicPartition> targets = new TreeSet<>(PartitionAssignor.ORDER);
        if (reset.topics() != null) {
            for (String t : reset.topics()) {
                TopicMetadata tm = metadata.topic(t);
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
                out.put(order.get(i), timestamp == ResetOffsets.EARLIEST ? o.logStartOffset()
                        : timestamp == ResetOffsets.LATEST ? o.highWatermark() : o.timestampOffset());
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
}

package io.sluice.quorum;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.TopicMetadata;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of the metadata log: the change the controller decided, from the metadata version it
 * was decided on. Only the topics that changed travel (KRaft's records rather than whole
 * snapshots), so an ISR change costs one topic, whatever the cluster's size.
 *
 * <p>A delta applies only to the state it was computed from ({@code baseVersion}), and only under a
 * controller epoch at least the state's: a proposal that a deposed controller sent before it
 * noticed cannot land on top of its successor's decisions.
 *
 * @param baseVersion     the metadata version the controller computed the change from
 * @param version         the version after it (above {@code baseVersion})
 * @param controllerEpoch the epoch of the controller that decided it
 * @param upserts         topics created or changed, whole
 * @param deletions       names of topics deleted
 */
public record MetadataDelta(long baseVersion, long version, long controllerEpoch, List<TopicMetadata> upserts,
                            List<String> deletions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public MetadataDelta {
        upserts = List.copyOf(upserts);
        deletions = List.copyOf(deletions);
        if (version <= baseVersion) {
            throw new IllegalArgumentException("version " + version + " is not above base version " + baseVersion);
        }
    }

    /** The change from {@code from} to {@code to}. */
    public static MetadataDelta between(ClusterMetadata from, ClusterMetadata to) {
        List<TopicMetadata> upserts = new ArrayList<>();
        for (TopicMetadata t : to.topics().values()) {
            if (!t.equals(from.topic(t.name()))) {
                upserts.add(t);
            }
        }
        List<String> deletions = new ArrayList<>();
        for (String name : from.topics().keySet()) {
            if (to.topic(name) == null) {
                deletions.add(name);
            }
        }
        return new MetadataDelta(from.version(), to.version(), to.controllerEpoch(), upserts, deletions);
    }

    /** Whether this delta may apply to {@code state}. */
    public boolean appliesTo(ClusterMetadata state) {
        return state.version() == baseVersion && controllerEpoch >= state.controllerEpoch();
    }

    public ClusterMetadata applyTo(ClusterMetadata state) {
        Map<String, TopicMetadata> topics = new TreeMap<>(state.topics());
        for (String name : deletions) {
            topics.remove(name);
        }
        for (TopicMetadata t : upserts) {
            topics.put(t.name(), t);
        }
        return new ClusterMetadata(controllerEpoch, version, topics);
    }

    public byte[] toBytes() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("metadata delta does not serialise", e);
        }
    }

    public static MetadataDelta fromBytes(byte[] bytes) {
        try {
            return JSON.readValue(bytes, MetadataDelta.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a metadata delta: " + e.getMessage(), e);
        }
    }
}

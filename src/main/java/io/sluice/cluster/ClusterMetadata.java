package io.sluice.cluster;

import io.sluice.security.AclBinding;
import io.sluice.security.ScramUser;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable, versioned snapshot of everything the controller decides: the topics with their
 * configs, partition assignments, leaders, epochs and ISRs; the users with their SCRAM credentials
 * and the ACLs (security lives in the replicated metadata, never per node). Every change makes a new snapshot
 * with a higher version; nodes keep the newest they have seen, on disk, so the metadata survives
 * the restart of every node. "Newest" orders by controller epoch first (each controller that
 * takes over starts a new one), then version: a deposed controller that has not noticed yet
 * cannot overwrite its successor's decisions.
 */
public record ClusterMetadata(long controllerEpoch, long version, Map<String, TopicMetadata> topics,
                              Map<String, ScramUser> users, List<AclBinding> acls) {
    public static final ClusterMetadata EMPTY = new ClusterMetadata(0, 0, Map.of());

    /** (Users and ACLs absent, as in metadata stored before they existed: none.) */
    public ClusterMetadata {
        topics = new TreeMap<>(topics);
        users = users == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(users));
        acls = acls == null ? List.of() : List.copyOf(acls);
    }

    /** Topics only, no users or ACLs. */
    public ClusterMetadata(long controllerEpoch, long version, Map<String, TopicMetadata> topics) {
        this(controllerEpoch, version, topics, Map.of(), List.of());
    }

    /** Whether this snapshot supersedes {@code other}. */
    public boolean newerThan(ClusterMetadata other) {
        return controllerEpoch > other.controllerEpoch
                || (controllerEpoch == other.controllerEpoch && version > other.version);
    }

    /** The same topics under a new controller epoch, one version on. */
    public ClusterMetadata withControllerEpoch(long epoch) {
        return new ClusterMetadata(epoch, version + 1, topics, users, acls);
    }

    /** The same snapshot with {@code topics} replaced, one version on. */
    public ClusterMetadata withTopics(Map<String, TopicMetadata> newTopics) {
        return new ClusterMetadata(controllerEpoch, version + 1, newTopics, users, acls);
    }

    /** The same snapshot with {@code newUsers} and {@code newAcls}, one version on. */
    public ClusterMetadata withSecurity(Map<String, ScramUser> newUsers, List<AclBinding> newAcls) {
        return new ClusterMetadata(controllerEpoch, version + 1, topics, newUsers, newAcls);
    }

    public ScramUser user(String name) {
        return users.get(name);
    }

    public TopicMetadata topic(String name) {
        return topics.get(name);
    }

    public ClusterMetadata withTopic(TopicMetadata topic) {
        Map<String, TopicMetadata> next = new TreeMap<>(topics);
        next.put(topic.name(), topic);
        return new ClusterMetadata(controllerEpoch, version + 1, next, users, acls);
    }

    public ClusterMetadata withoutTopic(String name) {
        Map<String, TopicMetadata> next = new TreeMap<>(topics);
        next.remove(name);
        return new ClusterMetadata(controllerEpoch, version + 1, next, users, acls);
    }

    /**
     * Names of the topics created, changed or deleted since {@code before}. A topic kept from one
     * version to the next is the same object (deltas replace only what changed), so the check is an
     * identity comparison for all but the changed ones: replicas of 10,000 partitions are not all
     * looked at again for each version.
     */
    public java.util.Set<String> topicsChangedSince(ClusterMetadata before) {
        java.util.Set<String> changed = new java.util.HashSet<>();
        for (Map.Entry<String, TopicMetadata> e : topics.entrySet()) {
            TopicMetadata was = before.topics.get(e.getKey());
            if (was != e.getValue() && !e.getValue().equals(was)) {
                changed.add(e.getKey());
            }
        }
        for (String name : before.topics.keySet()) {
            if (!topics.containsKey(name)) {
                changed.add(name);
            }
        }
        return changed;
    }
}

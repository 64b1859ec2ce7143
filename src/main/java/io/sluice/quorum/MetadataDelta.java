package io.sluice.quorum;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.TopicMetadata;
import io.sluice.security.AclBinding;
import io.sluice.security.ScramUser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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
 * @param userUpserts     users created or whose credentials changed, whole
 * @param userDeletions   names of users deleted
 * @param aclAdditions    ACLs created
 * @param aclDeletions    ACLs deleted
 */
public record MetadataDelta(long baseVersion, long version, long controllerEpoch, List<TopicMetadata> upserts,
                            List<String> deletions, List<ScramUser> userUpserts, List<String> userDeletions,
                            List<AclBinding> aclAdditions, List<AclBinding> aclDeletions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** (The security fields absent, as in entries written before they existed: no change to them.) */
    public MetadataDelta {
        upserts = List.copyOf(upserts);
        deletions = List.copyOf(deletions);
        userUpserts = userUpserts == null ? List.of() : List.copyOf(userUpserts);
        userDeletions = userDeletions == null ? List.of() : List.copyOf(userDeletions);
        aclAdditions = aclAdditions == null ? List.of() : List.copyOf(aclAdditions);
        aclDeletions = aclDeletions == null ? List.of() : List.copyOf(aclDeletions);
        if (version <= baseVersion) {
            throw new IllegalArgumentException("version " + version + " is not above base version " + baseVersion);
        }
    }

    /** A change of topics only. */
    public MetadataDelta(long baseVersion, long version, long controllerEpoch, List<TopicMetadata> upserts,
                         List<String> deletions) {
        this(baseVersion, version, controllerEpoch, upserts, deletions, List.of(), List.of(), List.of(), List.of());
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
        List<ScramUser> userUpserts = new ArrayList<>();
        for (ScramUser u : to.users().values()) {
            if (!u.equals(from.user(u.name()))) {
                userUpserts.add(u);
            }
        }
        List<String> userDeletions = new ArrayList<>();
        for (String name : from.users().keySet()) {
            if (to.user(name) == null) {
                userDeletions.add(name);
            }
        }
        List<AclBinding> aclAdditions = new ArrayList<>(to.acls());
        aclAdditions.removeAll(from.acls());
        List<AclBinding> aclDeletions = new ArrayList<>(from.acls());
        aclDeletions.removeAll(to.acls());
        return new MetadataDelta(from.version(), to.version(), to.controllerEpoch(), upserts, deletions, userUpserts,
                userDeletions, aclAdditions, aclDeletions);
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
        Map<String, ScramUser> users = new TreeMap<>(state.users());
        for (String name : userDeletions) {
            users.remove(name);
        }
        for (ScramUser u : userUpserts) {
            users.put(u.name(), u);
        }
        LinkedHashSet<AclBinding> acls = new LinkedHashSet<>(state.acls());
        aclDeletions.forEach(acls::remove);
        acls.addAll(aclAdditions);
        return new ClusterMetadata(controllerEpoch, version, topics, users, new ArrayList<>(acls));
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

package io.sluice.group;

import io.sluice.bus.TopicPartition;
import io.sluice.cluster.ClusterMetadata;
import io.sluice.security.AccessControl;
import io.sluice.security.AclOperation;
import io.sluice.security.Principal;
import io.sluice.security.ResourceType;
import io.sluice.security.Session;
import io.sluice.cluster.TopicMetadata;
import io.sluice.group.assign.PartitionAssignor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One consumer group as its coordinator holds it: members with their subscriptions and
 * heartbeats, the generation, the assignment in force, and the committed offsets. Plain state,
 * confined to the coordinator's context; the coordinator drives rebalances and persistence.
 * The group record ({@link #record}) carries the members and their assignment, so that the next
 * coordinator knows them (Kafka's group metadata record does the same).
 */
final class ConsumerGroup {
    /** Kafka's group states, as {@code GET /groups/{g}} reports them. */
    enum State { EMPTY, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE }

    /** A member: a consumer socket on some node. */
    static final class Member {
        final String id;
        final String address;
        final String node;
        final String client;
        final Subscription subscription;
        final long sessionTimeoutMs;
        /** Who the member's socket acts for (null while security is off): it reads only topics this session may READ. */
        final Session session;
        long lastHeartbeat;
        List<TopicPartition> assigned = new ArrayList<>();

        Member(String id, String address, String node, String client, Subscription subscription, long sessionTimeoutMs, long now) {
            this(id, address, node, client, subscription, sessionTimeoutMs, now, null);
        }

        Member(String id, String address, String node, String client, Subscription subscription, long sessionTimeoutMs, long now,
               Session session) {
            this.session = session;
            this.id = id;
            this.address = address;
            this.node = node;
            this.client = client;
            this.subscription = subscription;
            this.sessionTimeoutMs = sessionTimeoutMs;
            this.lastHeartbeat = now;
        }

        JsonObject toJson() {
            return new JsonObject().put("member_id", id).put("address", address).put("node", node).put("client", client)
                    .put("topics", new JsonArray(subscription.entries())).put("session_timeout_ms", sessionTimeoutMs)
                    .put("assigned", partitionsJson(assigned))
                    .put("principal", session == null ? null : session.principal().toString())
                    .put("host", session == null ? null : session.host());
        }

        /** The topics of the subscription that exist and that the member may READ. */
        Set<String> readable(ClusterMetadata metadata, AccessControl access) {
            Set<String> topics = subscription.resolve(metadata);
            if (session != null && access.enabled()) {
                topics.removeIf(t -> !access.allowed(session, AclOperation.READ, ResourceType.TOPIC, t));
            }
            return topics;
        }

        /** A member restored from a group record; its session starts {@code now}. */
        static Member fromJson(JsonObject j, long now) {
            Member m = new Member(j.getString("member_id"), j.getString("address"), j.getString("node"), j.getString("client"),
                    Subscription.of(j.getJsonArray("topics").stream().map(Object::toString).toList()),
                    j.getLong("session_timeout_ms"), now,
                    j.getString("principal") == null ? null : new Session(Principal.parse(j.getString("principal")),
                            j.getString("host", "")));
            for (Object o : j.getJsonArray("assigned", new JsonArray())) {
                JsonObject p = (JsonObject) o;
                m.assigned.add(new TopicPartition(p.getString("topic"), p.getInteger("partition")));
            }
            return m;
        }
    }

    final String id;
    final Map<String, Member> members = new LinkedHashMap<>();
    final Map<TopicPartition, Long> committed = new TreeMap<>(PartitionAssignor.ORDER);
    String assignor = "sticky";
    int generation;
    State state = State.EMPTY;
    /** Whether the offsets topic holds a group record (so that deleting needs a tombstone). */
    boolean persisted;
    /** Set while a rebalance runs; another request then runs once it ends. */
    boolean rebalancing;
    /** Set once this node stops coordinating the group: nothing more is sent on its behalf. */
    boolean abandoned;
    /** Why the next rebalance was asked for (empty: none is), for its log line. */
    final java.util.Set<String> rebalanceReasons = new java.util.LinkedHashSet<>();
    /** Topic partition counts the last rebalance saw; a change means a rebalance. */
    Map<String, Integer> lastPartitionCounts = Map.of();
    Future<?> commits = Future.succeededFuture();

    ConsumerGroup(String id) {
        this.id = id;
    }

    /** The group record's value: assignor, generation, and every member with its assignment. */
    JsonObject record(long now) {
        JsonArray out = new JsonArray();
        members.values().forEach(m -> out.add(m.toJson()));
        return OffsetsTopic.groupValue(assignor, generation, now).put("members", out);
    }

    /**
     * Takes the members of a replayed group record (absent in records written before members
     * were stored: then there are none).
     */
    void restoreMembers(JsonArray stored, long now) {
        members.clear();
        if (stored != null) {
            for (Object o : stored) {
                Member m = Member.fromJson((JsonObject) o, now);
                members.put(m.id, m);
            }
        }
    }

    boolean active() {
        return !members.isEmpty();
    }

    /**
     * Topics each member reads, resolved against {@code metadata}: of those it subscribed to, the
     * ones its principal may READ (so that no rebalance hands it a partition of another topic).
     */
    Map<String, Set<String>> subscriptions(ClusterMetadata metadata, AccessControl access) {
        Map<String, Set<String>> out = new TreeMap<>();
        members.values().forEach(m -> out.put(m.id, m.readable(metadata, access)));
        return out;
    }

    /** Partition counts of every topic some member reads. */
    static Map<String, Integer> partitionCounts(Map<String, Set<String>> subscriptions, ClusterMetadata metadata) {
        Map<String, Integer> out = new TreeMap<>();
        for (Set<String> topics : subscriptions.values()) {
            for (String t : topics) {
                TopicMetadata tm = metadata.topic(t);
                if (tm != null) {
                    out.put(t, tm.partitionCount());
                }
            }
        }
        return out;
    }

    Map<String, List<TopicPartition>> currentAssignment() {
        Map<String, List<TopicPartition>> out = new HashMap<>();
        members.values().forEach(m -> out.put(m.id, m.assigned));
        return out;
    }

    /** The member owning {@code tp} in the assignment in force, or null. */
    Member owner(TopicPartition tp) {
        for (Member m : members.values()) {
            if (m.assigned.contains(tp)) {
                return m;
            }
        }
        return null;
    }

    static String stateName(State s) {
        return switch (s) {
            case EMPTY -> "Empty";
            case PREPARING_REBALANCE -> "PreparingRebalance";
            case COMPLETING_REBALANCE -> "CompletingRebalance";
            case STABLE -> "Stable";
        };
    }

    private static JsonArray partitionsJson(List<TopicPartition> partitions) {
        JsonArray out = new JsonArray();
        for (TopicPartition tp : partitions) {
            out.add(new JsonObject().put("topic", tp.topic()).put("partition", tp.partition()));
        }
        return out;
    }
}

package io.sluice.group;

import io.sluice.bus.AssignmentChange;
import io.sluice.bus.AssignmentChange.AssignedPartition;
import io.sluice.bus.AssignmentChange.PartitionsAssigned;
import io.sluice.bus.AssignmentChange.PartitionsRevoked;
import io.sluice.bus.GroupReply.Done;
import io.sluice.bus.GroupRequest.Heartbeat;
import io.sluice.bus.GroupRequest.JoinGroup;
import io.sluice.bus.GroupRequest.LeaveGroup;
import io.sluice.bus.GroupRequest.OffsetCommit;
import io.sluice.bus.TopicPartition;
import io.sluice.common.ErrorCode;
import io.sluice.common.Failures;
import io.sluice.common.SluiceException;
import io.sluice.security.Session;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The member side of the group protocol for one consumer socket: it joins the group through the
 * group's coordinator (on whichever node that is), heartbeats, applies the
 * {@link AssignmentChange}s the coordinator sends (stopping revoked partitions before confirming,
 * so that two members never read a partition at once), and sends the member's commits, one at a
 * time ({@link MemberCommits}), committing what was delivered on its own when asked to. Reading
 * the partitions and talking to the client is the socket's, behind {@link Reader}.
 *
 * <p>Confined to the context it is started on (the socket's).
 */
public final class GroupMember {
    private static final System.Logger LOG = System.getLogger(GroupMember.class.getName());

    /** What a consumer socket asked of its membership. */
    public record Settings(String group, List<String> topics, String assignor, long sessionTimeoutMs, boolean autoCommit,
                           long autoCommitIntervalMs, Session session) {
        public Settings {
            topics = List.copyOf(topics);
        }

        /** A member while security is off. */
        public Settings(String group, List<String> topics, String assignor, long sessionTimeoutMs, boolean autoCommit,
                        long autoCommitIntervalMs) {
            this(group, topics, assignor, sessionTimeoutMs, autoCommit, autoCommitIntervalMs, null);
        }
    }

    /** The socket side of a member: it reads the partitions the group gives it and tells its client. */
    public interface Reader {
        /** In {@link #assign}: keep reading the partition from where the socket stands. */
        long KEEP = Long.MIN_VALUE;

        /** The partitions read now, each with the next offset to deliver. */
        Map<TopicPartition, Long> positions();

        /** Stops reading {@code partitions} at once ({@code generation} -1: the membership was lost). */
        void revoke(int generation, Collection<TopicPartition> partitions);

        /**
         * Reads exactly {@code partitions} in {@code generation}: each from the offset given, from
         * where it stands when {@link #KEEP}, or from the socket's start position when
         * {@link AssignedPartition#NO_OFFSET}.
         */
        Future<Void> assign(int generation, Map<TopicPartition, Long> partitions);

        /** {@code offsets} were committed (the client asked, or auto-commit did). */
        void committed(Map<TopicPartition, Long> offsets);

        /** The member could not join, after retrying while the coordinator moved: the socket ends. */
        void joinFailed(Throwable cause);
    }

    private final Vertx vertx;
    private final GroupClient groups;
    private final String nodeId;
    private final Settings settings;
    /** Where the coordinator sends this member its {@link AssignmentChange}s. */
    private final String address = "sluice.member." + UUID.randomUUID();
    private final Map<TopicPartition, Long> committed = new LinkedHashMap<>();
    /** This member's commits, one at a time in the order asked for (client frames and auto-commit alike). */
    private final MemberCommits commits = new MemberCommits(this::sendCommit);
    private final List<Long> timers = new ArrayList<>();
    /** Member ids this socket had and gave up (the coordinator forgot them): their messages are stale. */
    private final Set<String> dropped = new HashSet<>();
    private Reader reader;
    private String client;
    private MessageConsumer<Object> consumer;
    private String memberId;
    /** A join is in flight: heartbeats wait, so that one lost membership leads to one rejoin. */
    private boolean joining;
    private boolean closed;

    public GroupMember(Vertx vertx, GroupClient groups, String nodeId, Settings settings) {
        this.vertx = vertx;
        this.groups = groups;
        this.nodeId = nodeId;
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Joins for the socket {@code reader} of client {@code client} (its address), and stays a member until {@link #close}. */
    public void start(Reader reader, String client) {
        this.reader = reader;
        this.client = client;
        consumer = vertx.eventBus().consumer(address, this::onCoordinator);
        consumer.completion().compose(v -> join()).onFailure(reader::joinFailed);
        timers.add(vertx.setPeriodic(Math.max(50, settings.sessionTimeoutMs() / 3), id -> heartbeat()));
        if (settings.autoCommit()) {
            timers.add(vertx.setPeriodic(settings.autoCommitIntervalMs(), id -> commitDelivered(reader.positions())));
        }
    }

    private Future<Void> join() {
        joining = true;
        JoinGroup join = new JoinGroup(settings.group(), address, nodeId, client, settings.topics(), settings.assignor(),
                settings.sessionTimeoutMs());
        if (settings.session() != null) {
            join = join.actingFor(settings.session().principal().toString(), settings.session().host());
        }
        return groups.call(join).<Void>map(joined -> {
            if (closed) {
                leave(joined.memberId());
            } else {
                memberId = joined.memberId();
            }
            return null;
        }).onComplete(ar -> joining = false);
    }

    private void heartbeat() {
        if (closed || memberId == null || joining) {
            return;
        }
        String id = memberId;
        groups.call(new Heartbeat(settings.group(), id)).onFailure(e -> {
            SluiceException se = Failures.toSluice(e);
            // Only the answer about the current membership counts: several heartbeats may have
            // been in flight when the coordinator moved.
            if (se.code() == ErrorCode.UNKNOWN_MEMBER && !closed && id.equals(memberId) && !joining) {
                // The coordinator dropped us (it moved, or we were too slow): stop everything and join again.
                LOG.log(System.Logger.Level.INFO, "member " + id + " of group '" + settings.group() + "' rejoins: " + se.getMessage());
                dropped.add(id);
                memberId = null;
                reader.revoke(-1, new ArrayList<>(reader.positions().keySet()));
                join();
            }
        });
    }

    private void onCoordinator(Message<Object> msg) {
        if (!(msg.body() instanceof AssignmentChange change)) {
            msg.fail(ErrorCode.BAD_REQUEST.code(), "unknown coordinator message");
            return;
        }
        String to = change.memberId();
        if (closed || dropped.contains(to) || (memberId != null && !memberId.equals(to))) {
            // For a membership this socket no longer has: nothing of the session is touched.
            msg.reply(new Done());
            return;
        }
        if (memberId == null) {
            // The coordinator's first assignment can overtake the answer to the join.
            memberId = to;
        }
        // (Sealed: a change is one or the other.)
        Future<?> applied = change instanceof PartitionsRevoked revoked ? revoke(revoked) : assign((PartitionsAssigned) change);
        applied.onComplete(ar -> msg.reply(new Done()));
    }

    private Future<?> revoke(PartitionsRevoked revoked) {
        Map<TopicPartition, Long> positions = reader.positions();
        reader.revoke(revoked.generation(), revoked.partitions());
        Map<TopicPartition, Long> last = new LinkedHashMap<>();
        for (TopicPartition tp : revoked.partitions()) {
            if (positions.containsKey(tp)) {
                last.put(tp, positions.get(tp));
            }
        }
        // What was delivered of a revoked partition is committed before the partition is
        // released, so that its next owner starts right after it.
        return settings.autoCommit() ? commitDelivered(last) : Future.succeededFuture();
    }

    private Future<Void> assign(PartitionsAssigned assigned) {
        Map<TopicPartition, Long> partitions = new LinkedHashMap<>();
        Map<TopicPartition, Long> reading = reader.positions();
        for (AssignedPartition p : assigned.partitions()) {
            // A kept partition goes on from where this socket stands, if it still reads it.
            boolean keep = p.kept() && reading.containsKey(p.tp());
            partitions.put(p.tp(), keep ? Reader.KEEP : p.committedOffset());
            if (p.committedOffset() >= 0) {
                committed.merge(p.tp(), p.committedOffset(), Math::max);
            }
        }
        return reader.assign(assigned.generation(), partitions);
    }

    /**
     * Commits {@code offsets} the client asked for, after every commit asked for before; fails
     * with REBALANCE_IN_PROGRESS while this socket is not a member.
     */
    public Future<Map<TopicPartition, Long>> commit(Map<TopicPartition, Long> offsets) {
        if (memberId == null) {
            return Future.failedFuture(new SluiceException(ErrorCode.REBALANCE_IN_PROGRESS,
                    "not a member of group '" + settings.group() + "' yet"));
        }
        return commits.commit(offsets).onSuccess(reader::committed);
    }

    /** Commits the given positions where they moved since the last commit (auto_commit). */
    private Future<?> commitDelivered(Map<TopicPartition, Long> positions) {
        if (memberId == null) {
            return Future.succeededFuture();
        }
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        positions.forEach((tp, offset) -> {
            Long last = committed.get(tp);
            if (last == null || last < offset) {
                offsets.put(tp, offset);
            }
        });
        if (offsets.isEmpty()) {
            return Future.succeededFuture();
        }
        return commits.commit(offsets).onSuccess(reader::committed);
    }

    /** Sends one commit to the coordinator; {@link #commits} calls it one commit at a time. */
    private Future<Map<TopicPartition, Long>> sendCommit(Map<TopicPartition, Long> offsets) {
        if (memberId == null) {
            return Future.failedFuture(new SluiceException(ErrorCode.REBALANCE_IN_PROGRESS,
                    "not a member of group '" + settings.group() + "' (any more); nothing was committed"));
        }
        return groups.call(new OffsetCommit(settings.group(), memberId, offsets)).map(reply -> {
            committed.putAll(reply.offsets());
            return reply.offsets();
        });
    }

    /** Commits what was delivered (with auto_commit), then leaves the group. */
    public void close() {
        if (closed) {
            return;
        }
        Map<TopicPartition, Long> positions = reader.positions();
        Future<?> last = settings.autoCommit() ? commitDelivered(positions) : Future.succeededFuture();
        closed = true;
        timers.forEach(vertx::cancelTimer);
        String id = memberId;
        last.onComplete(ar -> {
            if (id != null) {
                leave(id);
            }
            consumer.unregister();
        });
    }

    private void leave(String id) {
        groups.call(new LeaveGroup(settings.group(), id));
    }
}

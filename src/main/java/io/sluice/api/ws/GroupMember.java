package io.sluice.api.ws;

import io.sluice.common.Monotonic;
import io.sluice.api.ApiErrors;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.sluice.group.GroupAdmin;
import io.sluice.group.GroupClient;
import io.sluice.group.MemberCommits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A consumer socket's membership in its group: joins through the group's coordinator (on
 * whichever node that is), heartbeats while the client is alive, applies the partitions the
 * coordinator assigns and revokes (stopping revoked ones before confirming, so that two members
 * never read a partition at once), and forwards commits. The client proves it is alive by any
 * frame or by answering the pings sent to it; one silent for the session timeout is dropped and
 * its partitions move to the other members.
 *
 * <p>Runs on the socket's context, like its {@link ConsumeSession}.
 */
final class GroupMember implements ConsumeSession.Assignment {
    private static final System.Logger LOG = System.getLogger(GroupMember.class.getName());

    private final GroupClient groups;
    private final String group;
    private final List<String> topics;
    private final String assignor;
    private final long sessionTimeoutMs;
    private final ConsumeSession.StartPosition from;
    private final boolean autoCommit;
    private final long autoCommitIntervalMs;
    private final String address = "sluice.member." + UUID.randomUUID();
    private final Map<TopicPartition, Long> committed = new LinkedHashMap<>();
    /** This member's commits, one at a time in the order asked for (client frames and auto-commit alike). */
    private final MemberCommits commits = new MemberCommits(this::sendCommit);
    private ConsumeSession session;
    private Vertx vertx;
    private MessageConsumer<JsonObject> consumer;
    private String memberId;
    /** Member ids this socket had and gave up (the coordinator forgot them): their messages are stale. */
    private final java.util.Set<String> dropped = new java.util.HashSet<>();
    /** A join is in flight: heartbeats wait, so that one lost membership leads to one rejoin. */
    private boolean joining;
    private boolean closed;
    private final List<Long> timers = new ArrayList<>();

    GroupMember(GroupClient groups, String group, List<String> topics, String assignor, long sessionTimeoutMs,
                ConsumeSession.StartPosition from, boolean autoCommit, long autoCommitIntervalMs) {
        this.groups = groups;
        this.group = group;
        this.topics = topics;
        this.assignor = assignor;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.from = from;
        this.autoCommit = autoCommit;
        this.autoCommitIntervalMs = autoCommitIntervalMs;
    }

    @Override
    public void start(ConsumeSession session) {
        this.session = session;
        this.vertx = session.api().vertx();
        consumer = vertx.eventBus().consumer(address, this::onCoordinator);
        consumer.completion().compose(v -> join()).onFailure(e -> {
            SluiceException se = ApiErrors.toSluice(e);
            Frames.error(session.socket(), se.code(), "cannot join group '" + group + "': " + se.getMessage());
            session.socket().close((short) 1011, "cannot join group");
        });
        long beat = Math.max(50, sessionTimeoutMs / 3);
        timers.add(vertx.setPeriodic(beat, id -> heartbeat()));
        timers.add(vertx.setPeriodic(Math.max(25, sessionTimeoutMs / 4), id -> checkClient()));
        if (autoCommit) {
            timers.add(vertx.setPeriodic(autoCommitIntervalMs, id -> commitDelivered(session.positions())));
        }
    }

    private Future<Void> join() {
        joining = true;
        JsonObject req = new JsonObject().put("op", "join").put("member_address", address)
                .put("node", session.api().nodeId()).put("client", String.valueOf(session.socket().remoteAddress()))
                .put("topics", new JsonArray(topics)).put("assignor", assignor).put("session_timeout_ms", sessionTimeoutMs);
        return groups.call(group, req).map(reply -> {
            if (closed) {
                leave(reply.getString("member_id"));
            } else {
                memberId = reply.getString("member_id");
            }
            return (Void) null;
        }).onComplete(ar -> joining = false);
    }

    private void heartbeat() {
        if (closed || memberId == null || joining) {
            return;
        }
        String id = memberId;
        groups.call(group, new JsonObject().put("op", "heartbeat").put("member_id", id)).onFailure(e -> {
            SluiceException se = ApiErrors.toSluice(e);
            // Only the answer about the current membership counts: several heartbeats may have
            // been in flight when the coordinator moved.
            if (se.code() == ErrorCode.UNKNOWN_MEMBER && !closed && id.equals(memberId) && !joining) {
                // The coordinator dropped us (it moved, or we were too slow): stop everything and join again.
                LOG.log(System.Logger.Level.INFO, "member " + id + " of group '" + group + "' rejoins: " + se.getMessage());
                dropped.add(id);
                memberId = null;
                session.revoke(-1, new ArrayList<>(session.positions().keySet()));
                join();
            }
        });
    }

    /** Drops the socket when its client stopped answering; pings it otherwise. */
    private void checkClient() {
        if (closed) {
            return;
        }
        long silent = Monotonic.millis() - session.lastClientActivity();
        if (silent > sessionTimeoutMs) {
            session.terminate((short) 4001, "session timeout: nothing from the client for " + silent + " ms");
            return;
        }
        if (!session.socket().isClosed()) {
            session.socket().writePing(Buffer.buffer("sluice"));
        }
    }

    private void onCoordinator(Message<JsonObject> msg) {
        JsonObject m = msg.body();
        if (closed) {
            msg.reply(new JsonObject());
            return;
        }
        int generation = m.getInteger("generation");
        String to = m.getString("member_id");
        if (dropped.contains(to) || (memberId != null && !memberId.equals(to))) {
            // For a membership this socket no longer has: nothing of the session is touched.
            msg.reply(new JsonObject());
            return;
        }
        if (memberId == null) {
            // The coordinator's first assignment can overtake the answer to the join.
            memberId = to;
        }
        if ("revoke".equals(m.getString("type"))) {
            List<TopicPartition> lost = partitions(m.getJsonArray("partitions"));
            Map<TopicPartition, Long> positions = session.positions();
            session.revoke(generation, lost);
            Map<TopicPartition, Long> last = new LinkedHashMap<>();
            for (TopicPartition tp : lost) {
                if (positions.containsKey(tp)) {
                    last.put(tp, positions.get(tp));
                }
            }
            // What was delivered of a revoked partition is committed before the partition is
            // released, so that its next owner starts right after it.
            Future<?> committing = autoCommit ? commitDelivered(last) : Future.succeededFuture();
            committing.onComplete(ar -> msg.reply(new JsonObject()));
        } else if ("assign".equals(m.getString("type"))) {
            Map<TopicPartition, Long> assigned = new LinkedHashMap<>();
            Map<TopicPartition, Long> reading = session.positions();
            for (Object o : m.getJsonArray("partitions")) {
                JsonObject p = (JsonObject) o;
                TopicPartition tp = new TopicPartition(p.getString("topic"), p.getInteger("partition"));
                long offset = p.getLong("offset", -1L);
                // A kept partition goes on from where this socket stands, if it still reads it.
                boolean keep = p.getBoolean("keep", false) && reading.containsKey(tp);
                assigned.put(tp, keep ? ConsumeSession.KEEP : offset);
                if (offset >= 0) {
                    committed.merge(tp, offset, Math::max);
                }
            }
            session.assign(generation, assigned, from).onComplete(ar -> msg.reply(new JsonObject()));
        } else {
            msg.fail(ErrorCode.BAD_REQUEST.code(), "unknown coordinator message");
        }
    }

    private static List<TopicPartition> partitions(JsonArray array) {
        List<TopicPartition> out = new ArrayList<>();
        for (Object o : array) {
            JsonObject p = (JsonObject) o;
            out.add(new TopicPartition(p.getString("topic"), p.getInteger("partition")));
        }
        return out;
    }

    @Override
    public boolean onFrame(String type, JsonObject frame) {
        if (!"commit".equals(type)) {
            return false;
        }
        if (memberId == null) {
            throw new SluiceException(ErrorCode.REBALANCE_IN_PROGRESS, "not a member of group '" + group + "' yet");
        }
        commits.commit(GroupAdmin.parseOffsets(frame.getJsonArray("offsets")))
                .onSuccess(this::committedFrame)
                .onFailure(e -> {
                    SluiceException se = ApiErrors.toSluice(e);
                    Frames.error(session.socket(), se.code(), se.getMessage());
                });
        return true;
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
        return commits.commit(offsets).onSuccess(this::committedFrame);
    }

    /** Sends one commit to the coordinator; {@link #commits} calls it one commit at a time. */
    private Future<Map<TopicPartition, Long>> sendCommit(Map<TopicPartition, Long> offsets) {
        if (memberId == null) {
            return Future.failedFuture(new SluiceException(ErrorCode.REBALANCE_IN_PROGRESS,
                    "not a member of group '" + group + "' (any more); nothing was committed"));
        }
        return groups.call(group, new JsonObject().put("op", "commit").put("member_id", memberId)
                        .put("offsets", GroupAdmin.offsetsArray(offsets)))
                .map(reply -> {
                    Map<TopicPartition, Long> done = GroupAdmin.parseOffsets(reply.getJsonArray("offsets"));
                    committed.putAll(done);
                    return done;
                });
    }

    private void committedFrame(Map<TopicPartition, Long> offsets) {
        if (!session.socket().isClosed()) {
            session.socket().writeTextMessage(new JsonObject().put("type", "committed")
                    .put("offsets", GroupAdmin.offsetsArray(offsets)).encode());
        }
    }

    @Override
    public void delivered(TopicPartition tp, long nextOffset) {
        // Positions are read from the session when committing.
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        Map<TopicPartition, Long> positions = session.positions();
        Future<?> last = autoCommit ? commitDelivered(positions) : Future.succeededFuture();
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
        groups.call(group, new JsonObject().put("op", "leave").put("member_id", id));
    }
}

package io.sluice.api.ws;

import io.sluice.api.ApiErrors;
import io.sluice.api.OffsetsJson;
import io.sluice.bus.TopicPartition;
import io.sluice.common.SluiceException;
import io.sluice.group.GroupMember;
import io.sluice.security.AclOperation;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.Map;

/**
 * The partitions of a socket in a group: the socket side of its {@link GroupMember}, which runs
 * the group protocol. It reads what the member is assigned through its {@link ConsumeSession},
 * turns the client's {@code commit} frames into the member's commits and their outcome into
 * {@code committed} or {@code error} frames, and watches the client: it proves it is alive by any
 * frame or by answering the pings sent to it; one silent for the session timeout is dropped, and
 * its partitions move to the other members.
 *
 * <p>Runs on the socket's context, like its session.
 */
final class GroupAssignment implements ConsumeSession.Assignment, GroupMember.Reader {
    private final GroupMember member;
    private final ConsumeSession.StartPosition from;
    private ConsumeSession session;
    private long pingTimer;

    GroupAssignment(GroupMember member, ConsumeSession.StartPosition from) {
        this.member = member;
        this.from = from;
    }

    @Override
    public void start(ConsumeSession session) {
        this.session = session;
        member.start(this, String.valueOf(session.socket().remoteAddress()));
        long timeout = member.settings().sessionTimeoutMs();
        pingTimer = session.api().vertx().setPeriodic(Math.max(25, timeout / 4), id -> checkClient(timeout));
    }

    /** Drops the socket when its client stopped answering; pings it otherwise. */
    private void checkClient(long timeout) {
        long silent = session.api().clock().monotonicMillis() - session.lastClientActivity();
        if (silent > timeout) {
            session.terminate((short) 4001, "session timeout: nothing from the client for " + silent + " ms");
            return;
        }
        if (!session.socket().isClosed()) {
            session.socket().writePing(Buffer.buffer("sluice"));
        }
    }

    @Override
    public boolean onFrame(String type, JsonObject frame) {
        if (!"commit".equals(type)) {
            return false;
        }
        var offsets = OffsetsJson.parse(frame.getJsonArray("offsets"));
        // READ on the group and on each topic committed to, as Kafka's OffsetCommit (a 403 error frame otherwise).
        var access = session.api().security().access();
        access.checkGroup(session.session(), AclOperation.READ, member.settings().group());
        for (TopicPartition tp : offsets.keySet()) {
            access.checkTopic(session.session(), AclOperation.READ, tp.topic());
        }
        member.commit(offsets).onFailure(e -> {
            SluiceException se = ApiErrors.toSluice(e);
            Frames.error(session.socket(), se.code(), se.getMessage());
        });
        return true;
    }

    @Override
    public void delivered(TopicPartition tp, long nextOffset) {
        // Positions are read from the session when committing.
    }

    @Override
    public void close() {
        session.api().vertx().cancelTimer(pingTimer);
        member.close();
    }

    // ---------------------------------------------------------------- GroupMember.Reader

    @Override
    public Map<TopicPartition, Long> positions() {
        return session.positions();
    }

    @Override
    public void revoke(int generation, Collection<TopicPartition> partitions) {
        session.revoke(generation, partitions);
    }

    @Override
    public Future<Void> assign(int generation, Map<TopicPartition, Long> partitions) {
        return session.assign(generation, partitions, from);
    }

    @Override
    public void committed(Map<TopicPartition, Long> offsets) {
        if (!session.socket().isClosed()) {
            session.socket().writeTextMessage(new JsonObject().put("type", "committed")
                    .put("offsets", OffsetsJson.toJson(offsets)).encode());
        }
    }

    @Override
    public void joinFailed(Throwable cause) {
        SluiceException se = ApiErrors.toSluice(cause);
        Frames.error(session.socket(), se.code(), "cannot join group '" + member.settings().group() + "': " + se.getMessage());
        session.socket().close((short) 1011, "cannot join group");
    }
}

package io.sluice.api.http;

import io.sluice.partition.ReplicaStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Renders {@link ReplicaStatus} as {@code GET /replicas} shows it: snake_case fields in
 * a fixed order, absent parts as JSON null where the contract names them (a leader's
 * {@code pending_isr}, a follower's {@code since_answer_ms}) and left out otherwise (the offsets
 * of a log not open yet, {@code leader_state} of a follower, {@code fetcher} of a leader).
 */
final class ReplicaStatusJson {
    private ReplicaStatusJson() {
    }

    static JsonArray render(List<ReplicaStatus> all) {
        JsonArray out = new JsonArray();
        all.forEach(s -> out.add(render(s)));
        return out;
    }

    static JsonObject render(ReplicaStatus s) {
        JsonObject out = new JsonObject().put("topic", s.topic())
                .put("partition", s.partition())
                .put("role", s.role())
                .put("leader", s.leader())
                .put("leader_epoch", s.leaderEpoch());
        ReplicaStatus.Offsets o = s.offsets();
        if (o != null) {
            out.put("log_start_offset", o.logStartOffset()).put("log_end_offset", o.logEndOffset())
                    .put("high_watermark", o.highWatermark()).put("writes_queued", o.writesQueued());
        }
        out.put("produces_awaiting_acks", s.producesAwaitingAcks()).put("fetches_parked", s.fetchesParked())
                .put("consumer_fetches", s.consumerFetches());
        if (s.leading() != null) {
            out.put("leader_state", render(s.leading()));
        }
        if (s.following() != null) {
            out.put("fetcher", render(s.following()));
        }
        return out;
    }

    private static JsonObject render(ReplicaStatus.Leading l) {
        JsonArray followers = new JsonArray();
        for (ReplicaStatus.FollowerProgress f : l.followers()) {
            followers.add(new JsonObject().put("node", f.node())
                    .put("fetch_offset", f.fetchOffset())
                    .put("since_fetch_ms", f.sinceFetchMs())
                    .put("since_caught_up_ms", f.sinceCaughtUpMs()));
        }
        return new JsonObject().put("epoch_start_offset", l.epochStartOffset())
                .put("isr", new JsonArray(l.isr()))
                .put("pending_isr", l.pendingIsr() == null ? null : new JsonArray(l.pendingIsr()))
                .put("followers", followers);
    }

    private static JsonObject render(ReplicaStatus.Following f) {
        return new JsonObject().put("leader", f.leader()).put("leader_epoch", f.leaderEpoch()).put("phase", f.phase())
                .put("fetch_offset", f.fetchOffset()).put("fetches", f.fetches())
                .put("since_answer_ms", f.sinceAnswerMs())
                .put("failed_in_a_row", f.failedInARow()).put("last_error", f.lastError());
    }
}

package io.sluice.api.ws;

import io.sluice.api.ApiErrors;
import io.sluice.bus.TopicPartition;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/** The partitions of a socket without a group: fixed when it opens, nothing committed. */
final class StaticAssignment implements ConsumeSession.Assignment {
    private final Map<TopicPartition, Long> partitions;
    private final ConsumeSession.StartPosition from;

    StaticAssignment(Map<TopicPartition, Long> partitions, ConsumeSession.StartPosition from) {
        this.partitions = partitions;
        this.from = from;
    }

    @Override
    public void start(ConsumeSession session) {
        session.assign(0, partitions, from).onFailure(e -> {
            Frames.error(session.socket(), ApiErrors.toSluice(e).code(),
                    "cannot start: " + e.getMessage());
            session.socket().close((short) 1011, "cannot resolve start offsets");
        });
    }

    @Override
    public boolean onFrame(String type, JsonObject frame) {
        return false;
    }

    @Override
    public void delivered(TopicPartition tp, long nextOffset) {
        // Nothing is committed without a group.
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}

package io.sluice.partition;

import io.sluice.bus.SluiceException;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;

/**
 * Where a partition replica sends the answer to one request: back over the event bus (a request
 * from any node), or into the promise of a caller on this node, which skips the bus's message
 * copies, reply address and reply consumer ({@link PartitionClient} calls local replicas
 * directly). Used on the replica's context, at most once per request.
 */
interface Answer {
    /** For requests sent without waiting for an answer (acks=0). */
    Answer NONE = new Answer() {
        @Override
        public void reply(Object body) {
        }

        @Override
        public void fail(SluiceException e) {
        }
    };

    void reply(Object body);

    void fail(SluiceException e);

    static Answer to(Message<Object> msg) {
        return msg.replyAddress() == null ? NONE : new BusAnswer(msg);
    }

    /** Completes {@code promise}; its listeners run on the caller's own context. */
    static Answer to(Promise<Object> promise) {
        return new CallerAnswer(promise);
    }

    /** Back over the event bus, to whichever node asked. */
    record BusAnswer(Message<Object> msg) implements Answer {
        @Override
        public void reply(Object body) {
            msg.reply(body);
        }

        @Override
        public void fail(SluiceException e) {
            msg.fail(e.code().code(), e.getMessage());
        }
    }

    /** Into the promise of a caller on this node. */
    record CallerAnswer(Promise<Object> promise) implements Answer {
        @Override
        public void reply(Object body) {
            promise.tryComplete(body);
        }

        @Override
        public void fail(SluiceException e) {
            promise.tryFail(e);
        }
    }
}

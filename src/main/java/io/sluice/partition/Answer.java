package io.sluice.partition;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.vertx.core.Context;
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

    /**
     * Fails {@code answer} with {@code e} as it is when it is a {@link SluiceException}, else as
     * INTERNAL, logged with the replica {@code where} it happened (unless nobody waits for the answer).
     */
    static void fail(Answer answer, Throwable e, Object where) {
        if (e instanceof SluiceException se) {
            answer.fail(se);
        } else {
            if (answer != NONE) {
                System.getLogger(PartitionVerticle.class.getName()).log(System.Logger.Level.WARNING,
                        "request to " + where + " failed", e);
            }
            answer.fail(new SluiceException(ErrorCode.INTERNAL, String.valueOf(e.getMessage())));
        }
    }

    static Answer to(Message<Object> msg) {
        return msg.replyAddress() == null ? NONE : new BusAnswer(msg);
    }

    /** Completes {@code promise}; its listeners run on the caller's own context. */
    static Answer to(Promise<Object> promise) {
        return new CallerAnswer(promise);
    }

    /**
     * Into the promise of a caller on this replica's event loop, whose request is handled inside
     * its call. Vert.x runs a promise's listeners at once when it completes on their thread, so an
     * answer given before the call returns (a fetch of data already there, an error) is held for a
     * task of its own: the caller's code never runs nested inside its own call, where a consumer
     * fetching again from its answer would recurse once per fetch.
     */
    static Deferring deferring(Promise<Object> promise, Context context) {
        return new Deferring(promise, context);
    }

    /** See {@link #deferring}. Used on the replica's context. */
    final class Deferring implements Answer {
        private final Promise<Object> promise;
        private final Context context;
        private boolean inCall = true;

        private Deferring(Promise<Object> promise, Context context) {
            this.promise = promise;
            this.context = context;
        }

        /** The call has returned: answers from now on complete the promise at once. */
        void callReturned() {
            inCall = false;
        }

        @Override
        public void reply(Object body) {
            if (inCall) {
                context.runOnContext(v -> promise.tryComplete(body));
            } else {
                promise.tryComplete(body);
            }
        }

        @Override
        public void fail(SluiceException e) {
            if (inCall) {
                context.runOnContext(v -> promise.tryFail(e));
            } else {
                promise.tryFail(e);
            }
        }
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

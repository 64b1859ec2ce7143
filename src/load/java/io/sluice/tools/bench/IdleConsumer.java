package io.sluice.tools.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.internal.ContextInternal;

/**
 * One idle consumer socket: subscribes to one partition from its end and then only watches.
 * The {@code assigned} frame is the subscription; any frame after it, or the node closing the
 * socket, is an error of the shared meter (an idle consumer receives nothing and stays open).
 * Runs on one event loop.
 */
final class IdleConsumer {
    private static final byte[] ASSIGNED = Messages.ascii("{\"type\":\"assigned\"");

    private final Bench bench;
    private final Meter subscribed;
    private final Promise<Void> assigned = Promise.promise();
    private ContextInternal loop;
    private WebSocket ws;
    private boolean closing;

    /** A consumer counted in {@code subscribed} once assigned; its errors go there too. */
    IdleConsumer(Bench bench, Meter subscribed) {
        this.bench = bench;
        this.subscribed = subscribed;
    }

    /** Connects on loop {@code i} to partition {@code partition} of {@code --topic}; completes once assigned. */
    Future<Void> open(int i, int partition) {
        loop = bench.loop(i);
        String uri = "/ws/consume?topics=" + bench.target.topic + "&partitions=" + partition + "&from=latest";
        bench.connect(i, uri, socket -> {
            ws = socket;
            Messages.onMessage(ws, this::onMessage);
            ws.closeHandler(v -> {
                if (!closing) {
                    subscribed.error("socket to partition " + partition + " closed by the node");
                }
            });
        }).onFailure(assigned::tryFail);
        return assigned.future();
    }

    private void onMessage(Buffer frame) {
        if (!assigned.future().isComplete() && Messages.startsWith(frame, ASSIGNED)) {
            subscribed.add(1);
            assigned.complete();
        } else {
            subscribed.error("an idle consumer received " + Messages.head(frame, 200));
        }
    }

    /** Closes the socket (if it opened); completes once the close is sent. */
    Future<Void> close() {
        if (loop == null) {
            return Future.succeededFuture();
        }
        Promise<Void> closed = Promise.promise();
        loop.runOnContext(v -> {
            closing = true;
            (ws == null ? Future.<Void>succeededFuture() : ws.close()).onComplete(closed);
        });
        return closed.future();
    }
}

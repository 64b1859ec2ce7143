package io.sluice.tools.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Opens many sockets a window at a time: at most {@value #WINDOW} openings in flight, the next
 * started as one completes. Why: ten thousand handshakes at once overflow the node's accept
 * queue, and a dropped SYN is retried only after a second, so the figure would time the
 * kernel's retries; a window keeps the node busy without that.
 */
final class Staggered {
    static final int WINDOW = 256;

    private Staggered() {
    }

    /**
     * Calls {@code open} for 0 to {@code count - 1}, spread over the tool's event loops; each
     * future completes when its socket is ready (subscribed). A failed opening is counted as an
     * error of {@code errors} and the rest go on; the result completes once every opening has
     * ended.
     */
    static Future<Void> open(Bench bench, int count, IntFunction<Future<?>> open, Meter errors) {
        Promise<Void> all = Promise.promise();
        AtomicInteger next = new AtomicInteger();
        int lanes = Math.min(WINDOW, count);
        AtomicInteger lanesLeft = new AtomicInteger(lanes);
        if (lanes == 0) {
            all.complete();
        }
        for (int lane = 0; lane < lanes; lane++) {
            bench.loop(lane).runOnContext(v -> step(next, count, open, errors, () -> {
                if (lanesLeft.decrementAndGet() == 0) {
                    all.complete();
                }
            }));
        }
        return all.future();
    }

    private static void step(AtomicInteger next, int count, IntFunction<Future<?>> open, Meter errors, Runnable laneDone) {
        int i = next.getAndIncrement();
        if (i >= count) {
            laneDone.run();
            return;
        }
        open.apply(i).onComplete(ar -> {
            if (ar.failed()) {
                errors.error("opening socket " + i + ": " + ar.cause());
            }
            step(next, count, open, errors, laneDone);
        });
    }
}

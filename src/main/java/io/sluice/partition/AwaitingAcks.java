package io.sluice.partition;

import io.sluice.common.Confinement;
import io.sluice.common.ErrorCode;
import io.sluice.bus.ProduceResponse;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The {@code acks=all} produce requests a leader has written and not yet answered: each waits
 * until the high watermark passes its last offset (every in-sync replica has it), or until its
 * timeout, each with its timer. They are written in offset order, so they are answered in that
 * order from the front as the high watermark advances. Plain state, confined to the replica's event
 * loop: the replica checks its calls, and the timers check here.
 */
final class AwaitingAcks {
    /** @param retrySafe whether sending the request again cannot store its records twice (see {@link #failAll}) */
    private record Awaiting(Answer answer, ProduceResponse response, long lastOffset, long timer, boolean retrySafe) {
    }

    private final Vertx vertx;
    private final TopicPartition tp;
    private final ArrayDeque<Awaiting> awaiting = new ArrayDeque<>();

    private final java.util.function.Supplier<SluiceException> onTimeout;
    private final Confinement confinement;

    /**
     * @param onTimeout   the error of a request that waited its whole timeout (asked at that moment)
     * @param confinement the replica's event loop
     */
    AwaitingAcks(Vertx vertx, TopicPartition tp, java.util.function.Supplier<SluiceException> onTimeout,
                 Confinement confinement) {
        this.vertx = vertx;
        this.tp = tp;
        this.onTimeout = onTimeout;
        this.confinement = confinement;
    }

    /**
     * Holds {@code response} until the high watermark passes {@code lastOffset}, for at most
     * {@code timeoutMs}; {@code retrySafe} when the request's batches are an idempotent producer's,
     * which a new leader stores once however often they are sent.
     */
    void await(Answer answer, ProduceResponse response, long lastOffset, long timeoutMs, boolean retrySafe) {
        long timer = vertx.setTimer(Math.max(1, timeoutMs), id -> expire(answer));
        awaiting.add(new Awaiting(answer, response, lastOffset, timer, retrySafe));
    }

    /** The high watermark is now {@code highWatermark}: answers every request below it. */
    void release(long highWatermark) {
        while (!awaiting.isEmpty() && awaiting.peek().lastOffset < highWatermark) {
            Awaiting a = awaiting.poll();
            vertx.cancelTimer(a.timer);
            a.answer.reply(a.response);
        }
    }

    /**
     * The high watermark is now {@code highWatermark}, but the leader may not acknowledge (no lease,
     * or fewer in-sync replicas than required): fails every request below it with {@code e}.
     */
    void refuseBelow(long highWatermark, SluiceException e) {
        while (!awaiting.isEmpty() && awaiting.peek().lastOffset < highWatermark) {
            Awaiting a = awaiting.poll();
            vertx.cancelTimer(a.timer);
            a.answer.fail(e);
        }
    }

    /**
     * Fails every waiting request (the leader steps down): an idempotent producer's with
     * {@code retrySafe}, which the node's partition client retries at the next leader (its
     * sequence numbers keep it from being stored twice), the others with {@code e}.
     */
    void failAll(SluiceException e, SluiceException retrySafe) {
        for (Awaiting a : awaiting) {
            vertx.cancelTimer(a.timer);
            a.answer.fail(a.retrySafe ? retrySafe : e);
        }
        awaiting.clear();
    }

    int size() {
        return awaiting.size();
    }

    private void expire(Answer answer) {
        confinement.check();
        for (Iterator<Awaiting> it = awaiting.iterator(); it.hasNext(); ) {
            if (it.next().answer == answer) {
                it.remove();
                answer.fail(onTimeout.get());
                return;
            }
        }
    }
}

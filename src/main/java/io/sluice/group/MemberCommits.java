package io.sluice.group;

import io.sluice.bus.TopicPartition;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The offset commits of one group member, sent to the coordinator one at a time and in the order
 * they were asked for. A commit asked for while another is in flight waits, merged with any others
 * that wait (a later offset for a partition replaces an earlier one), and all of them are answered
 * by the one send that carries them.
 *
 * <p>Why: the coordinator client retries a commit for as long as the coordinator moves (seconds
 * under a network partition). Sent side by side, a commit stuck in those retries could land after
 * one asked for later and take the committed offset back, which the fault suite saw. Kafka's
 * consumer gets the same order from its single connection to the coordinator.
 *
 * <p>Confined to the member's context, like the member itself.
 */
public final class MemberCommits {
    private final Function<Map<TopicPartition, Long>, Future<Map<TopicPartition, Long>>> send;
    private Map<TopicPartition, Long> waiting;
    private Promise<Map<TopicPartition, Long>> waitingDone;
    private boolean inFlight;

    /** {@code send} stores offsets at the coordinator and answers what it committed. */
    public MemberCommits(Function<Map<TopicPartition, Long>, Future<Map<TopicPartition, Long>>> send) {
        this.send = send;
    }

    /** Commits {@code offsets} after every commit asked for before; answers what was committed. */
    public Future<Map<TopicPartition, Long>> commit(Map<TopicPartition, Long> offsets) {
        if (waiting == null) {
            waiting = new LinkedHashMap<>();
            waitingDone = Promise.promise();
        }
        waiting.putAll(offsets);
        Future<Map<TopicPartition, Long>> answer = waitingDone.future();
        if (!inFlight) {
            sendWaiting();
        }
        return answer;
    }

    /** True while a commit is being sent (tests and metrics). */
    public boolean inFlight() {
        return inFlight;
    }

    private void sendWaiting() {
        if (waiting == null) {
            return;
        }
        Map<TopicPartition, Long> offsets = waiting;
        Promise<Map<TopicPartition, Long>> done = waitingDone;
        waiting = null;
        waitingDone = null;
        inFlight = true;
        Future<Map<TopicPartition, Long>> sent;
        try {
            sent = send.apply(offsets);
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        sent.onComplete(ar -> {
            inFlight = false;
            done.handle(ar);
            sendWaiting();
        });
    }
}

package io.sluice.partition;

import io.sluice.bus.ProduceRequest;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The small produce requests a leader received in one turn of its event loop, handed over
 * together once the requests already queued on the loop have run: the leader appends them with
 * one write and one log-end update instead of one of each per request (group commit, LMAX
 * Disruptor's end-of-batch). Requests from many connections reach a partition's loop in bursts,
 * each a task of its own; without this, a burst of lone records cost a system call each.
 *
 * <p>Nothing waits for a turn to fill: the first request of a turn schedules the hand-over as the
 * next task of the loop, so a lone record is appended as soon as its own task has run. Plain
 * state, used on the partition's context only.
 */
final class ProduceTurn {
    /** A request waiting for the end of its turn, with the leadership it arrived under. */
    record Pending(Answer answer, ProduceRequest request, LeaderState asLeader) {
    }

    private final Context context;
    private final Consumer<List<Pending>> append;
    private List<Pending> pending = new ArrayList<>();
    private boolean scheduled;

    /** {@code append} receives each turn's requests in arrival order, on {@code context}. */
    ProduceTurn(Context context, Consumer<List<Pending>> append) {
        this.context = context;
        this.append = append;
    }

    void add(Answer answer, ProduceRequest request, LeaderState asLeader) {
        pending.add(new Pending(answer, request, asLeader));
        if (!scheduled) {
            scheduled = true;
            context.runOnContext(v -> {
                scheduled = false;
                append.accept(takeAll());
            });
        }
    }

    /**
     * The requests of the turn so far, now (the turn goes on empty): for a request that must be
     * appended after them right away, and for a leader that steps down.
     */
    List<Pending> takeAll() {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<Pending> taken = pending;
        pending = new ArrayList<>();
        return taken;
    }
}

package io.sluice.partition;

import io.sluice.bus.ProduceRequest;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;

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
 * <p>Nothing waits for a turn to fill: a request that finds no other task queued on the loop is
 * appended at once, and otherwise the first request of a turn schedules the hand-over as the next
 * task of the loop, behind the tasks (requests among them) already waiting. Plain state, used on
 * the partition's context only.
 */
final class ProduceTurn {
    /** A request waiting for the end of its turn, with the leadership it arrived under. */
    record Pending(Answer answer, ProduceRequest request, LeaderState asLeader) {
    }

    private final Context context;
    /** The partition's event loop: a request alone on it is appended at once. */
    private final EventExecutor loop;
    private final Consumer<List<Pending>> append;
    private List<Pending> pending = new ArrayList<>();
    private boolean scheduled;

    /** {@code append} receives each turn's requests in arrival order, on {@code context}. */
    ProduceTurn(Context context, Consumer<List<Pending>> append) {
        this.context = context;
        this.loop = ((ContextInternal) context).nettyEventLoop();
        this.append = append;
    }

    void add(Answer answer, ProduceRequest request, LeaderState asLeader) {
        Pending p = new Pending(answer, request, asLeader);
        if (!scheduled && nothingQueued()) {
            // Alone on the loop: no request to wait for, so no task of its own to wait in.
            append.accept(List.of(p));
            return;
        }
        pending.add(p);
        if (!scheduled) {
            scheduled = true;
            context.runOnContext(v -> {
                scheduled = false;
                append.accept(takeAll());
            });
        }
    }

    /** Whether the partition's event loop has no other task waiting (a request among them, maybe). */
    private boolean nothingQueued() {
        return loop instanceof SingleThreadEventExecutor executor && executor.pendingTasks() == 0;
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

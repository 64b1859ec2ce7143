package io.sluice.partition;

import io.netty.channel.SingleThreadEventLoop;
import io.sluice.bus.ProduceRequest;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The small produce requests a leader received in one iteration of its event loop, handed over
 * together at the iteration's end: the leader appends them with one write and one log-end update
 * instead of one of each per request (group commit, LMAX Disruptor's end-of-batch). Requests
 * reach a partition's loop in bursts: read from the connections the loop serves, and as tasks
 * from the other loops; without this, a burst of lone records cost a system call each.
 *
 * <p>Nothing waits for a turn to fill: the first request of an iteration asks the loop to hand
 * the turn over once it has read its sockets and run its queued tasks (Netty's tail tasks; a
 * loop without them gets a task queued behind those already waiting). Plain state, used on the
 * partition's context only.
 */
final class ProduceTurn {
    /** A request waiting for the end of its turn, with the leadership it arrived under. */
    record Pending(Answer answer, ProduceRequest request, LeaderState asLeader) {
    }

    private final ContextInternal context;
    /** The partition's event loop, when it can run a task at the end of its iteration. */
    private final SingleThreadEventLoop loop;
    private final Runnable handOver;
    private List<Pending> pending = new ArrayList<>();
    private boolean scheduled;

    /** {@code append} receives each turn's requests in arrival order, on {@code context}. */
    ProduceTurn(ContextInternal context, Consumer<List<Pending>> append) {
        this.context = context;
        this.loop = context.nettyEventLoop() instanceof SingleThreadEventLoop l ? l : null;
        // Netty runs tail tasks outside any Vert.x context: the hand-over switches to the partition's.
        this.handOver = () -> context.dispatch(v -> {
            scheduled = false;
            append.accept(takeAll());
        });
    }

    void add(Answer answer, ProduceRequest request, LeaderState asLeader) {
        pending.add(new Pending(answer, request, asLeader));
        if (!scheduled) {
            scheduled = true;
            if (loop != null) {
                loop.executeAfterEventLoopIteration(handOver);
            } else {
                context.runOnContext(v -> handOver.run());
            }
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

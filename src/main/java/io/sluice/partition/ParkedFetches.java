package io.sluice.partition;

import io.sluice.bus.FetchRequest;
import io.sluice.common.Confinement;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The fetches a replica holds until records arrive for them (long polls) or their wait is over,
 * each with its timer. Plain state, confined to the replica's event loop (the replica checks its
 * calls, the timers check here); the replica decides which are ready and how each is answered.
 */
final class ParkedFetches {
    private record Parked(Answer answer, FetchRequest request, long timer) {
    }

    private final Vertx vertx;
    private final List<Parked> parked = new ArrayList<>();
    private final Confinement confinement;

    /** {@code confinement}: the replica's event loop. */
    ParkedFetches(Vertx vertx, Confinement confinement) {
        this.vertx = vertx;
        this.confinement = confinement;
    }

    /** Holds {@code request} for its {@code maxWaitMs}; {@code expired} answers it if nothing wakes it before. */
    void park(Answer answer, FetchRequest request, BiConsumer<Answer, FetchRequest> expired) {
        Parked[] self = new Parked[1];
        long timer = vertx.setTimer(request.maxWaitMs(), id -> {
            confinement.check();
            if (parked.remove(self[0])) {
                expired.accept(answer, request);
            }
        });
        self[0] = new Parked(answer, request, timer);
        parked.add(self[0]);
    }

    /** Takes out the fetches {@code ready} accepts (their timers cancelled) and hands each to {@code serve}. */
    void release(Predicate<FetchRequest> ready, BiConsumer<Answer, FetchRequest> serve) {
        if (parked.isEmpty()) {
            return;
        }
        List<Parked> out = new ArrayList<>();
        for (Iterator<Parked> it = parked.iterator(); it.hasNext(); ) {
            Parked p = it.next();
            if (ready.test(p.request)) {
                it.remove();
                vertx.cancelTimer(p.timer);
                out.add(p);
            }
        }
        // (Served after the walk: serving may park new fetches.)
        for (Parked p : out) {
            serve.accept(p.answer, p.request);
        }
    }

    boolean isEmpty() {
        return parked.isEmpty();
    }

    int size() {
        return parked.size();
    }
}

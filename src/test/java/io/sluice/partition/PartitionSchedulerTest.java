package io.sluice.partition;

import io.sluice.common.Clock;
import io.sluice.testing.Await;
import io.sluice.testing.ManualClock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node's one timer for every replica's periodic work: due tasks run on their own contexts. */
class PartitionSchedulerTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void runsEachTaskRepeatedlyOnItsOwnContext() {
        PartitionScheduler scheduler = new PartitionScheduler(vertx, 10, Clock.SYSTEM);
        scheduler.start();
        List<AtomicInteger> runs = new ArrayList<>();
        AtomicBoolean wrongContext = new AtomicBoolean();
        for (int i = 0; i < 20; i++) {
            Context ctx = vertx.getOrCreateContext();
            AtomicInteger n = new AtomicInteger();
            runs.add(n);
            scheduler.schedule(ctx, 20 + i, () -> {
                if (Vertx.currentContext() != ctx) {
                    wrongContext.set(true);
                }
                n.incrementAndGet();
            });
        }
        Await.until("every task ran three times", Duration.ofSeconds(10),
                () -> runs.stream().allMatch(n -> n.get() >= 3));
        assertTrue(!wrongContext.get(), "a task ran off its replica's context");
        assertEquals(20, scheduler.size());
    }

    @Test
    void aCancelledTaskNeverRunsAgain() {
        PartitionScheduler scheduler = new PartitionScheduler(vertx, 5, Clock.SYSTEM);
        scheduler.start();
        Context ctx = vertx.getOrCreateContext();
        AtomicInteger cancelledRuns = new AtomicInteger();
        PartitionScheduler.Task task = scheduler.schedule(ctx, 10, cancelledRuns::incrementAndGet);
        Await.until("the task ran", Duration.ofSeconds(10), () -> cancelledRuns.get() > 0);
        task.cancel();
        int atCancel = cancelledRuns.get();
        // A witness with the same interval, scheduled after the cancel: once it ran five times, the
        // cancelled task had five chances to run.
        AtomicInteger witness = new AtomicInteger();
        scheduler.schedule(ctx, 10, witness::incrementAndGet);
        Await.until("the witness ran five times", Duration.ofSeconds(10), () -> witness.get() >= 5);
        assertEquals(atCancel, cancelledRuns.get());
        assertEquals(1, scheduler.size());
    }

    @Test
    void aTaskIsDueWhenTheSchedulersClockSaysSo() {
        ManualClock clock = new ManualClock(0);
        PartitionScheduler scheduler = new PartitionScheduler(vertx, 5, clock);
        scheduler.start();
        AtomicInteger runs = new AtomicInteger();
        scheduler.schedule(vertx.getOrCreateContext(), Duration.ofHours(1).toMillis(), runs::incrementAndGet);
        clock.advance(Duration.ofHours(1));
        // (On the system clock this would take an hour.)
        Await.until("the hourly task ran once its hour passed on the scheduler's clock", Duration.ofSeconds(10),
                () -> runs.get() == 1);
    }

    @Test
    void thousandsOfTasksShareOneVertxTimer() {
        // Vert.x numbers its timers in order: the ids of two probes bracket every timer set between.
        long before = probeTimerId();
        PartitionScheduler scheduler = new PartitionScheduler(vertx, 10, Clock.SYSTEM);
        scheduler.start();
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 5_000; i++) {
            scheduler.schedule(vertx.getOrCreateContext(), 1_000, runs::incrementAndGet);
        }
        long after = probeTimerId();
        assertEquals(1, after - before - 1, "timers set by the scheduler for 5,000 tasks");
        Await.until("every task ran", Duration.ofSeconds(20), () -> runs.get() >= 5_000);
    }

    private long probeTimerId() {
        long id = vertx.setTimer(60_000, t -> { });
        vertx.cancelTimer(id);
        return id;
    }
}

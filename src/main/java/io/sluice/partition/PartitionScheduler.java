package io.sluice.partition;

import io.sluice.common.Clock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.PriorityQueue;

/**
 * The one clock of this node's partition replicas (Kafka's {@code KafkaScheduler}, shared by
 * every log): owns a single Vert.x periodic timer and the periodic tasks of every replica (ISR
 * expiry, retention, {@code flush.ms} checks), ordered by when each is next due on the
 * monotonic clock. Each tick runs the tasks that are due, each on its own replica's context,
 * where its state lives.
 *
 * <p>Why: a Vert.x timer per task and replica (four per partition) made 10,000 idle partitions
 * wake the event loops some 10,000 times a second and cost 40 % of a core; a tick that finds
 * nothing due costs one heap peek.
 *
 * <p>Any thread may schedule or cancel; the queue is guarded by this object's lock, which is
 * never held while a task runs. A cancelled task leaves the queue when it next comes due (a
 * removal from the middle of a heap of 30,000 tasks would cost a scan per stopped replica).
 */
public final class PartitionScheduler {
    /** How often the timer looks for due tasks: the granularity of every interval here. */
    public static final long DEFAULT_TICK_MS = 100;

    private final Vertx vertx;
    private final long tickMs;
    /** Its monotonic time says which tasks are due. */
    private final Clock clock;
    private final PriorityQueue<Task> due = new PriorityQueue<>((a, b) -> Long.compare(a.nextMs, b.nextMs));
    private long timer = -1;
    /** Tasks scheduled and not cancelled (cancelled ones leave the queue when they come due). */
    private int live;

    public PartitionScheduler(Vertx vertx, long tickMs, Clock clock) {
        if (tickMs < 1) {
            throw new IllegalArgumentException("tickMs must be positive");
        }
        this.vertx = vertx;
        this.tickMs = tickMs;
        this.clock = clock;
    }

    /** Starts the timer; tasks scheduled before run from the first tick on. */
    public synchronized void start() {
        if (timer < 0) {
            timer = vertx.setPeriodic(tickMs, id -> tick());
        }
    }

    /** Stops the timer; tasks still scheduled never run again. */
    public synchronized void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        due.clear();
        live = 0;
    }

    /**
     * Runs {@code task} on {@code context} every {@code intervalMs} (first after one interval),
     * to the tick's granularity, until cancelled. A run still queued on a busy context when the
     * next falls due is not doubled: the next run is counted from when the previous was handed over.
     */
    public Task schedule(Context context, long intervalMs, Runnable task) {
        Task t = new Task(context, Math.max(1, intervalMs), task);
        synchronized (this) {
            t.nextMs = clock.monotonicMillis() + t.intervalMs;
            due.add(t);
            live++;
        }
        return t;
    }

    /** Tasks scheduled and not cancelled (tests and metrics). */
    public synchronized int size() {
        return live;
    }

    private void tick() {
        long now = clock.monotonicMillis();
        while (true) {
            Task t;
            synchronized (this) {
                Task head = due.peek();
                if (head == null || head.nextMs > now) {
                    return;
                }
                t = due.poll();
                if (t.cancelled) {
                    continue;
                }
                t.nextMs = now + t.intervalMs;
                due.add(t);
            }
            t.context.runOnContext(v -> {
                if (!t.cancelled) {
                    t.task.run();
                }
            });
        }
    }

    /** One periodic task; {@link #cancel} it when its replica stops or its interval changes. */
    public final class Task {
        private final Context context;
        private final long intervalMs;
        private final Runnable task;
        private volatile boolean cancelled;
        /** Guarded by the scheduler's lock. */
        private long nextMs;

        private Task(Context context, long intervalMs, Runnable task) {
            this.context = context;
            this.intervalMs = intervalMs;
            this.task = task;
        }

        /** Stops the task; a run already handed to its context is skipped. */
        public void cancel() {
            synchronized (PartitionScheduler.this) {
                if (!cancelled) {
                    cancelled = true;
                    live--;
                }
            }
        }
    }
}

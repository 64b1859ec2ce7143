package io.sluice.log;

import io.sluice.log.record.RecordBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The single writer of one {@link Log}: a queue of appends and other mutations, drained in order
 * on an executor. Consecutive leader appends found in the queue are handed to the log as one group
 * ({@link Log#appendAsLeader(List, int)}), so requests that arrive while a write or an fsync is in
 * progress share the next write and the next fsync: group commit, with no timer and no added
 * latency when the log is idle (LMAX's "end of batch").
 *
 * <p>Any thread may submit. Futures complete on the executor's thread; owners that live on an
 * event loop hop back to it themselves.
 */
public final class LogWriter {
    /** Ops one drain may run before yielding its thread to other logs sharing the executor. */
    private static final int MAX_OPS_PER_DRAIN = 4096;
    /** Largest group handed to the log at once. */
    private static final int MAX_GROUP = 1024;

    private final Log log;
    private final Executor executor;
    private final ConcurrentLinkedQueue<Op> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public LogWriter(Log log, Executor executor) {
        this.log = log;
        this.executor = executor;
    }

    public Log log() {
        return log;
    }

    /** Appends a batch as leader; completes with its offsets or its error. */
    public CompletableFuture<LogAppendInfo> appendAsLeader(RecordBatch batch, int leaderEpoch) {
        LeaderAppend op = new LeaderAppend(batch, leaderEpoch);
        enqueue(op);
        return op.result;
    }

    /**
     * Appends as leader on the calling thread, when that is cheap and safe: the writer is idle
     * (nothing queued, no drain running, so order is kept) and the append stays in memory
     * ({@link Log#appendAsLeaderInMemory}: no roll, no flush due). Returns null when it is not,
     * and the caller uses {@link #appendAsLeader}. A small append then costs one page-cache write
     * instead of two thread hand-offs, which is most of a lone record's latency.
     *
     * @throws LogStorageException if the disk failed
     */
    public List<LogAppendInfo> tryAppendInline(List<RecordBatch> batches, int leaderEpoch) {
        if (!queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
            return null;
        }
        try {
            return log.appendAsLeaderInMemory(batches, leaderEpoch);
        } finally {
            // An op submitted meanwhile found the writer taken and left the drain to this thread.
            scheduled.set(false);
            if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
                executor.execute(this::drain);
            }
        }
    }

    /** Appends batches copied from the leader. */
    public CompletableFuture<LogAppendInfo> appendAsFollower(ByteBuffer batches) {
        return submit(() -> log.appendAsFollower(batches));
    }

    /** Runs {@code task} on the writer, after everything submitted before it. */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        Task<T> op = new Task<>(task);
        enqueue(op);
        return op.result;
    }

    /** Nothing is queued and no drain runs: an inline append would be taken now. */
    public boolean idle() {
        return queue.isEmpty() && !scheduled.get();
    }

    /** Ops queued and not yet started. */
    public int queued() {
        return queue.size();
    }

    private void enqueue(Op op) {
        queue.add(op);
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            int ops = 0;
            Op op;
            while (ops < MAX_OPS_PER_DRAIN && (op = queue.poll()) != null) {
                if (op instanceof LeaderAppend first) {
                    ops += appendGroup(first);
                } else {
                    ((Task<?>) op).run();
                    ops++;
                }
            }
        } finally {
            scheduled.set(false);
            if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
                executor.execute(this::drain);
            }
        }
    }

    private int appendGroup(LeaderAppend first) {
        List<LeaderAppend> group = new ArrayList<>();
        group.add(first);
        // Only this thread polls, so what peek sees is what poll takes.
        while (group.size() < MAX_GROUP && queue.peek() instanceof LeaderAppend next && next.epoch == first.epoch) {
            group.add((LeaderAppend) queue.poll());
        }
        List<RecordBatch> batches = new ArrayList<>(group.size());
        for (LeaderAppend a : group) {
            batches.add(a.batch);
        }
        try {
            List<LogAppendInfo> results = log.appendAsLeader(batches, first.epoch);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result.complete(results.get(i));
            }
        } catch (RuntimeException e) {
            for (LeaderAppend a : group) {
                a.result.completeExceptionally(e);
            }
        }
        return group.size();
    }

    private interface Op {
    }

    private static final class LeaderAppend implements Op {
        final RecordBatch batch;
        final int epoch;
        final CompletableFuture<LogAppendInfo> result = new CompletableFuture<>();

        LeaderAppend(RecordBatch batch, int epoch) {
            this.batch = batch;
            this.epoch = epoch;
        }
    }

    private static final class Task<T> implements Op {
        final Callable<T> task;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Task(Callable<T> task) {
            this.task = task;
        }

        void run() {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }
    }
}

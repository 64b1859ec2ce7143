package io.sluice.log;

import io.sluice.record.RecordBatch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The single writer of one log, and the only door through which it changes: leader and follower
 * appends, truncation, retention, config changes, flushes, rolls, closing, deletion and the
 * cleaner's segment swap all go through here. The log itself ({@code Log}) is not visible outside
 * the storage room; everyone else reads it through {@link #log()}, a {@link LogView}.
 *
 * <h2>The turn</h2>
 * Changes are queued and drained in order on an executor. Whoever holds the writer's turn (an
 * atomic flag) is the one thread changing the log; the flag's hand-over publishes what the
 * previous holder wrote, so the log needs no lock of its own. Consecutive leader appends found in
 * the queue are handed to the log as one group, so requests that arrive while a write or an
 * fsync is in progress share the next write and the next fsync: group commit, with no timer and
 * no added latency when the log is idle (LMAX's "end of batch"). An event loop never waits for
 * the turn: {@link #tryAppendInline} only tries to take it, and falls back to the queue.
 *
 * <h2>Compaction swaps</h2>
 * {@link #replaceSegments} runs the steps of a {@link CleanerSwap}: its fsyncs on the calling
 * (cleaner's) thread, outside the turn, and only its reservation, its in-memory list swap and its
 * release in the turn, between appends (on the cleaner's thread when the turn is free: they do
 * no I/O and hold it for microseconds). While a swap is reserved, queued operations that would delete or
 * rewrite segments (truncation, retention, close, delete) wait at the head of the queue, and
 * everything behind them waits too, so that the order of operations is kept; appends that find
 * nothing waiting are not delayed by a swap at all.
 *
 * <p>Any thread may submit. Futures complete on the executor's thread (or the caller's, for an op
 * that found the writer idle and a direct executor); owners that live on an event loop hop back
 * to it themselves.
 */
public final class LogWriter {
    /** Ops one drain may run before yielding its thread to other logs sharing the executor. */
    private static final int MAX_OPS_PER_DRAIN = 4096;
    /** Largest group handed to the log at once. */
    private static final int MAX_GROUP = 1024;

    private final Log log;
    private final Executor executor;
    private final ConcurrentLinkedQueue<Op> queue = new ConcurrentLinkedQueue<>();
    /** Steps of a swap in flight: they run before queued ops, and even while those wait for it. */
    private final ConcurrentLinkedQueue<Op> swapSteps = new ConcurrentLinkedQueue<>();
    /** The turn: set by whoever runs log changes, until it is done. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** The drain thread holding the turn (a swap must not be started from inside an op). */
    private volatile Thread draining;
    /** The swap between its reservation and its release; set and cleared in the turn. */
    private volatile CleanerSwap swapInFlight;
    /** The queued op at the head that waits for the swap in flight; touched in the turn. */
    private volatile Op waiting;
    private volatile Consumer<String> swapHook = step -> { };

    LogWriter(Log log, Executor executor) {
        this.log = log;
        this.executor = executor;
    }

    /**
     * Opens (creating or recovering) the log in {@code dir} and returns its writer, which drains
     * on {@code executor}. Blocking.
     */
    public static LogWriter open(Path dir, LogConfig config, LogEnvironment env, Executor executor) throws IOException {
        return new LogWriter(Log.open(dir, config, env), executor);
    }

    /** The log, read-only. */
    public LogView log() {
        return log.view();
    }

    // ---------------------------------------------------------------- appends

    /** Appends a batch as leader; completes with its offsets or its error. */
    public CompletableFuture<LogAppendInfo> appendAsLeader(RecordBatch batch, int leaderEpoch) {
        LeaderAppend op = new LeaderAppend(batch, leaderEpoch);
        enqueue(op);
        return op.result;
    }

    /**
     * Appends as leader on the calling thread, when that is cheap and safe: the writer is idle
     * (nothing queued or waiting, no drain running, so order is kept) and the append stays in
     * memory ({@link Log#appendAsLeaderInMemory}: no roll, no flush due, no new epoch). Returns
     * null when it is not, and the caller uses {@link #appendAsLeader}. A small append then costs
     * one page-cache write instead of two thread hand-offs, which is most of a lone record's
     * latency. Never waits: the turn is only tried, and no lock that is held across an fsync is
     * taken.
     *
     * @throws LogStorageException if the disk failed
     */
    public List<LogAppendInfo> tryAppendInline(List<RecordBatch> batches, int leaderEpoch) {
        if (!queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
            return null;
        }
        try {
            if (waiting != null) {
                return null; // (an op waits for a swap, and this append comes after it)
            }
            return log.appendAsLeaderInMemory(batches, leaderEpoch);
        } finally {
            // An op submitted meanwhile found the writer taken and left the drain to this thread.
            releaseTurn();
        }
    }

    /**
     * Records that this replica leads from {@code leaderEpoch} on, from the log end (Kafka's
     * {@code maybeAssignEpochStartOffset}, as a replica becomes leader), so that the epoch's
     * appends need not write the epoch checkpoint.
     */
    public CompletableFuture<Void> maybeAssignEpochStartOffset(int leaderEpoch) {
        return run(false, () -> {
            log.maybeAssignEpochStartOffset(leaderEpoch);
            return null;
        });
    }

    /** Appends batches copied from the leader. */
    public CompletableFuture<LogAppendInfo> appendAsFollower(ByteBuffer batches) {
        return run(false, () -> log.appendAsFollower(batches));
    }

    // ---------------------------------------------------------------- other changes

    /** Removes every record at or after {@code offset} (a follower's divergent tail). */
    public CompletableFuture<Void> truncateTo(long offset) {
        return run(true, () -> {
            log.truncateTo(offset);
            return null;
        });
    }

    /** Deletes everything and restarts the log empty at {@code offset}. */
    public CompletableFuture<Void> truncateFullyAndStartAt(long offset) {
        return run(true, () -> {
            log.truncateFullyAndStartAt(offset);
            return null;
        });
    }

    /**
     * Applies retention: deletes the oldest segments no longer covered, wholly below
     * {@code maxDeletableOffset}; completes with how many went.
     */
    public CompletableFuture<Integer> deleteOldSegments(long maxDeletableOffset) {
        return run(true, () -> log.deleteOldSegments(maxDeletableOffset));
    }

    /** Applies a changed topic config to later operations. */
    public CompletableFuture<Void> updateConfig(LogConfig config) {
        return run(false, () -> {
            log.updateConfig(config);
            return null;
        });
    }

    /** Forces everything appended so far to disk. */
    public CompletableFuture<Void> flush() {
        return run(false, () -> {
            log.flush();
            return null;
        });
    }

    /** Flushes if {@code flush.ms} has passed with something unflushed; completes with whether it did. */
    public CompletableFuture<Boolean> flushIfDue() {
        return run(false, log::flushIfDue);
    }

    /** Starts a new segment now (admin tools and tests). */
    public CompletableFuture<Void> roll() {
        return run(false, () -> {
            log.roll();
            return null;
        });
    }

    /**
     * Flushes and closes the log, leaving the clean-shutdown marker; after everything submitted
     * before, and after a swap in flight.
     */
    public CompletableFuture<Void> close() {
        return run(true, () -> {
            log.close();
            return null;
        });
    }

    /** Closes the log and removes its directory (the topic was deleted). */
    public CompletableFuture<Void> delete() {
        return run(true, () -> {
            log.delete();
            return null;
        });
    }

    /**
     * Runs {@code task} in the writer's order, after everything submitted before it: for the
     * owner's own work that must follow the appends before it. The task gets no access to the
     * log's mutators, which are not visible outside the storage room.
     */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        return run(false, task);
    }

    // ---------------------------------------------------------------- compaction

    /**
     * A new, empty segment file for the cleaner to fill, invisible until swapped in by
     * {@link #replaceSegments}. On the caller's thread: it changes nothing the log serves.
     */
    public CleanedSegment newCleanedSegment(long baseOffset) throws IOException {
        return log.newCleanedSegment(baseOffset);
    }

    /**
     * Atomically replaces {@code old} (consecutive segments, read from {@link #log()}) by
     * {@code cleaned} (finished segments covering the same offsets), through the
     * {@link CleanerSwap} protocol. Blocks the calling thread, which does every fsync of the
     * swap: the cleaner's, never an event loop and never from inside an op of this writer. Only
     * the reservation, the list swap and the release run in the writer's turn (for microseconds),
     * and appends go on meanwhile.
     *
     * @return false, with the cleaned files deleted, if {@code old} changed meanwhile (retention or
     *         truncation got there first)
     * @throws LogStorageException if the swap failed after its commit (or its commit could not be
     *         settled): the log then refuses writes, and reopening it completes the swap
     */
    public boolean replaceSegments(List<LogSegment> old, List<CleanedSegment> cleaned, long newCleanerCheckpoint)
            throws IOException {
        if (draining == Thread.currentThread()) {
            throw new IllegalStateException("a compaction swap waits for the writer's turn; it cannot start inside it");
        }
        CleanerSwap swap = new CleanerSwap(log, old, cleaned, swapHook);
        boolean reserved;
        try {
            swap.prepare();
            reserved = inTurn(() -> reserve(swap));
        } catch (IOException | RuntimeException e) {
            // (Not an Error: tests throw one to simulate a crash, which leaves files to the next open.)
            abandonQuietly(swap);
            // A reservation still queued when this thread was interrupted is undone right after it.
            releaseSwap(swap);
            throw e;
        }
        if (!reserved) {
            abandonQuietly(swap);
            return false;
        }
        try {
            try {
                swap.commit(); // (an IOException but Uncertain: rolled back, the log is as it was)
            } catch (CleanerSwap.Uncertain e) {
                throw log.fail("compaction swap could be neither committed nor rolled back; reopening the log settles it", e);
            }
            try {
                inTurn(() -> {
                    swap.install(newCleanerCheckpoint);
                    return null;
                });
                swap.complete();
            } catch (IOException | RuntimeException e) {
                // The manifest is on disk: whatever failed, the swap is finished by the next open.
                throw log.fail("compaction swap failed after its commit; reopening the log completes it",
                        e instanceof IOException io ? io : new IOException(e));
            }
            return true;
        } finally {
            releaseSwap(swap);
        }
    }

    /**
     * Fault injection for tests: {@code hook} sees each step of later compaction swaps (see
     * {@link CleanerSwap}) on the thread running it, and may throw there (an {@link Error}, which
     * no cleanup intercepts) to simulate a crash, or block to make that step slow.
     */
    public void onSwapStep(Consumer<String> hook) {
        this.swapHook = hook;
    }

    private boolean reserve(CleanerSwap swap) {
        if (swapInFlight != null || !swap.reserve()) {
            return false;
        }
        swapInFlight = swap;
        return true;
    }

    /** Whether an operation waits at the head of the queue for a swap in flight (for tests). */
    boolean waitingForSwap() {
        return waiting != null;
    }

    private static void abandonQuietly(CleanerSwap swap) {
        try {
            swap.abandon();
        } catch (IOException ignored) {
            // (no manifest: the next open deletes the .cleaned files that are left)
        }
    }

    // ---------------------------------------------------------------- state

    /** Nothing is queued or waiting and no drain runs: an inline append would be taken now. */
    public boolean idle() {
        return queue.isEmpty() && swapSteps.isEmpty() && waiting == null && !scheduled.get();
    }

    /** Ops queued and not yet started (one waiting for a swap included). */
    public int queued() {
        return queue.size() + (waiting != null ? 1 : 0);
    }

    // ---------------------------------------------------------------- the queue

    private <T> CompletableFuture<T> run(boolean waitsForSwap, Callable<T> task) {
        Task<T> op = new Task<>(task, waitsForSwap);
        enqueue(op);
        return op.result;
    }

    /**
     * Runs a step of a swap in the writer's turn: on the calling thread when the turn is free (the
     * step does no I/O, so it holds the turn for microseconds, and no thread hand-off is added to
     * a swap), else as the next op the writer runs, waiting for it.
     */
    private <T> T inTurn(Callable<T> step) throws IOException {
        if (!scheduled.compareAndSet(false, true)) {
            return await(swapStep(step));
        }
        try {
            return step.call();
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            releaseTurn();
        }
    }

    /**
     * Ends {@code swap}'s reservation, if it holds one: the ops that wait for it go on. Never
     * fails; waits for its turn unless interrupted (the step then runs without the caller).
     */
    private void releaseSwap(CleanerSwap swap) {
        Callable<Void> release = () -> {
            if (swapInFlight == swap) {
                swapInFlight = null;
            }
            return null;
        };
        if (scheduled.compareAndSet(false, true)) {
            try {
                release.call();
            } catch (Exception impossible) {
                throw new IllegalStateException(impossible);
            } finally {
                releaseTurn();
            }
            return;
        }
        awaitUnlessInterrupted(swapStep(release));
    }

    private <T> CompletableFuture<T> swapStep(Callable<T> step) {
        Task<T> op = new Task<>(step, false);
        swapSteps.add(op);
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
        return op.result;
    }

    private void enqueue(Op op) {
        queue.add(op);
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        draining = Thread.currentThread();
        try {
            int ops = 0;
            while (ops < MAX_OPS_PER_DRAIN) {
                Op op = swapSteps.poll();
                if (op == null && (op = nextQueued()) == null) {
                    break;
                }
                if (op instanceof LeaderAppend first) {
                    ops += appendGroup(first);
                } else {
                    ((Task<?>) op).run();
                    ops++;
                }
            }
        } finally {
            draining = null;
            releaseTurn();
        }
    }

    /** The next queued op, or null when there is none or the one at the head waits for a swap. */
    private Op nextQueued() {
        Op op = waiting;
        if (op == null && (op = queue.poll()) == null) {
            return null;
        }
        if (op.waitsForSwap() && swapInFlight != null) {
            waiting = op;
            return null;
        }
        waiting = null;
        return op;
    }

    /** Lets go of the turn, and takes it again for a drain if work that can run arrived meanwhile. */
    private void releaseTurn() {
        scheduled.set(false);
        if (runnableWork() && scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private boolean runnableWork() {
        if (!swapSteps.isEmpty()) {
            return true;
        }
        return waiting != null ? swapInFlight == null : !queue.isEmpty();
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

    /** Waits for a step of the writer; its failure is rethrown as it was thrown in the turn. */
    private static <T> T await(CompletableFuture<T> step) throws IOException {
        try {
            return step.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the log's writer");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            } else if (cause instanceof RuntimeException re) {
                throw re;
            } else if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static void awaitUnlessInterrupted(CompletableFuture<?> step) {
        if (Thread.currentThread().isInterrupted()) {
            return; // (the step still runs; the caller is being stopped)
        }
        try {
            step.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("releasing a compaction swap failed", e.getCause());
        }
    }

    private interface Op {
        default boolean waitsForSwap() {
            return false;
        }
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
        final boolean waitsForSwap;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Task(Callable<T> task, boolean waitsForSwap) {
            this.task = task;
            this.waitsForSwap = waitsForSwap;
        }

        @Override
        public boolean waitsForSwap() {
            return waitsForSwap;
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

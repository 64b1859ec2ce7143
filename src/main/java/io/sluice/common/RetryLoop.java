package io.sluice.common;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The retry loop of a client that reaches another node (partition leader, controller, group
 * coordinator): runs an attempt, and while it fails with an error this client may retry, runs
 * it again after a fixed backoff, until a deadline on the monotonic clock. It owns only the loop:
 * what an attempt sends, and when an attempt is given up early (its target left), stays with the
 * client.
 *
 * <p>Each client names the codes it retries, a subset of {@link ErrorCode#retriable()}: a code
 * being retriable in general does not make every request safe to repeat (a produce that timed
 * out may have been written, so the partition client does not retry {@code REQUEST_TIMED_OUT}).
 */
public final class RetryLoop {

    /** One try: completes with the answer, or fails (ideally with a {@link SluiceException}). */
    @FunctionalInterface
    public interface Attempt<T> {
        /** {@code deadlineMs}: when the whole loop gives up, on the loop's clock (to bound a send). */
        Future<T> run(long deadlineMs);
    }

    /** Runs {@code task} once after {@code delayMs} (a Vert.x timer, in a node). */
    @FunctionalInterface
    public interface Timer {
        void schedule(long delayMs, Runnable task);
    }

    private final LongSupplier clock;
    private final Timer timer;
    private final long backoffMs;
    private final Set<ErrorCode> retriable;

    /**
     * @param clock     milliseconds on a monotonic clock
     * @param backoffMs the pause between attempts
     * @param retriable the codes after which this client tries again
     */
    public RetryLoop(LongSupplier clock, Timer timer, long backoffMs, Set<ErrorCode> retriable) {
        for (ErrorCode code : retriable) {
            if (!code.retriable()) {
                throw new IllegalArgumentException(code + " is not a retriable error");
            }
        }
        this.clock = clock;
        this.timer = timer;
        this.backoffMs = backoffMs;
        this.retriable = retriable.isEmpty() ? EnumSet.noneOf(ErrorCode.class) : EnumSet.copyOf(retriable);
    }

    /** A loop on {@code clock}'s monotonic time and {@code vertx}'s timers. */
    public static RetryLoop on(Vertx vertx, Clock clock, long backoffMs, Set<ErrorCode> retriable) {
        return new RetryLoop(clock::monotonicMillis, (delay, task) -> vertx.setTimer(delay, id -> task.run()), backoffMs,
                retriable);
    }

    /**
     * Runs {@code attempt} until it succeeds, fails with an error this loop does not retry, or the
     * next attempt would start at or after {@code timeoutMs} from now; then fails with the last error.
     */
    public <T> Future<T> run(long timeoutMs, Attempt<T> attempt) {
        Promise<T> promise = Promise.promise();
        next(clock.getAsLong() + timeoutMs, attempt, promise);
        return promise.future();
    }

    private <T> void next(long deadline, Attempt<T> attempt, Promise<T> promise) {
        Future<T> tried;
        try {
            tried = attempt.run(deadline);
        } catch (RuntimeException e) {
            tried = Future.failedFuture(e);
        }
        tried.onComplete(promise::complete, failure -> {
            SluiceException e = Failures.toSluice(failure);
            if (retriable.contains(e.code()) && clock.getAsLong() + backoffMs < deadline) {
                timer.schedule(backoffMs, () -> next(deadline, attempt, promise));
            } else {
                promise.fail(e);
            }
        });
    }
}

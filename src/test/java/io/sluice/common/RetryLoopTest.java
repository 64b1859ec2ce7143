package io.sluice.common;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop on a hand-driven clock and timer: each test says when time passes. */
class RetryLoopTest {
    private long now = 1_000;
    private final Queue<Runnable> timers = new ArrayDeque<>();
    private final List<Long> delays = new ArrayList<>();
    private final RetryLoop loop = loop(EnumSet.of(ErrorCode.NOT_LEADER, ErrorCode.UNAVAILABLE));

    private RetryLoop loop(Set<ErrorCode> retriable) {
        return new RetryLoop(() -> now, (delay, task) -> {
            delays.add(delay);
            timers.add(task);
        }, 25, retriable);
    }

    /** Fires the pending backoff timer after its delay has passed. */
    private void elapseBackoff() {
        now += 25;
        timers.remove().run();
    }

    private static Future<String> failing(ErrorCode code) {
        return Future.failedFuture(new SluiceException(code, code.name()));
    }

    @Test
    void aRetriableErrorIsRetriedAfterTheBackoffUntilAnAttemptSucceeds() {
        List<Long> deadlines = new ArrayList<>();
        Future<String> result = loop.run(1_000, deadline -> {
            deadlines.add(deadline);
            return deadlines.size() < 3 ? failing(ErrorCode.NOT_LEADER) : Future.succeededFuture("ok");
        });
        assertEquals(List.of(2_000L), deadlines);
        assertEquals(List.of(25L), delays);
        elapseBackoff();
        elapseBackoff();
        assertEquals("ok", result.result());
        assertEquals(List.of(2_000L, 2_000L, 2_000L), deadlines, "every attempt sees the same deadline");
        assertTrue(timers.isEmpty());
    }

    @Test
    void anErrorThisClientDoesNotRetryFailsAtOnce() {
        int[] attempts = {0};
        Future<String> result = loop.run(1_000, deadline -> {
            attempts[0]++;
            return failing(ErrorCode.REQUEST_TIMED_OUT); // retriable in general, not by this client
        });
        assertEquals(1, attempts[0]);
        assertEquals(ErrorCode.REQUEST_TIMED_OUT, ((SluiceException) result.cause()).code());
        assertTrue(timers.isEmpty());
    }

    @Test
    void theLastErrorIsTheAnswerOnceTheNextAttemptWouldStartPastTheDeadline() {
        int[] attempts = {0};
        Future<String> result = loop.run(100, deadline -> {
            attempts[0]++;
            return failing(attempts[0] == 1 ? ErrorCode.NOT_LEADER : ErrorCode.UNAVAILABLE);
        });
        elapseBackoff(); // t+25
        elapseBackoff(); // t+50
        elapseBackoff(); // t+75: another backoff would end at the deadline itself
        assertTrue(result.failed());
        assertEquals(4, attempts[0]);
        assertEquals(ErrorCode.UNAVAILABLE, ((SluiceException) result.cause()).code());
        assertTrue(timers.isEmpty());
    }

    @Test
    void aFailureWithoutACodeIsTranslatedAndNotRetried() {
        Future<String> result = loop.run(1_000, deadline -> {
            throw new IllegalStateException("broken");
        });
        SluiceException e = assertInstanceOf(SluiceException.class, result.cause());
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertEquals("broken", e.getMessage());
    }

    @Test
    void onlyRetriableCodesCanBeRetried() {
        assertThrows(IllegalArgumentException.class, () -> loop(EnumSet.of(ErrorCode.UNKNOWN_TOPIC)));
    }
}

package io.sluice.log;

import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What the logs of one process share: the clock (milliseconds; tests move it), the cap on open
 * segments, and an executor for background work that must not delay appends (fsync of a segment
 * that just rolled).
 */
public record LogEnvironment(LongSupplier clock, OpenSegments openSegments, Executor background) {

    /** System clock, the default cap on open segments, and background work done inline. */
    public static LogEnvironment defaults() {
        return new LogEnvironment(System::currentTimeMillis, new OpenSegments(OpenSegments.DEFAULT_MAX_OPEN), Runnable::run);
    }

    public long now() {
        return clock.getAsLong();
    }
}

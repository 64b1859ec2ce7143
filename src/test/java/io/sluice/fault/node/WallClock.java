package io.sluice.fault.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * One node's wall clock, shifted at run time through libfaketime: the node is started with
 * {@code LD_PRELOAD} of the library and {@code FAKETIME_TIMESTAMP_FILE} pointing at this object's
 * file, which holds the offset in seconds ({@code +30}). Only CLOCK_REALTIME moves
 * ({@code FAKETIME_DONT_FAKE_MONOTONIC=1}): the fault is an NTP step, and Java's {@code nanoTime}
 * must keep running as a monotonic clock does.
 *
 * <p>Why {@code FAKETIME_CACHE_DURATION=1} instead of {@code FAKETIME_NO_CACHE=1}: measured here,
 * without the cache every {@code currentTimeMillis} reads the file (68 µs a call, a 60x slowdown of
 * a busy JVM); with a one-second cache a step takes effect within a second at ~1 µs a call. The
 * single-threaded build of the library is used for the same reason (the MT one costs 13 µs a call).
 * {@code FAKETIME_FORCE_MONOTONIC_FIX=0} is essential for a JVM: with Debian's default the library
 * rewrites the JVM's timed waits ({@code pthread_cond_timedwait} on CLOCK_MONOTONIC), measured here
 * as {@code Object.wait(1)} returning at once and {@code Thread.sleep} taking 30 ms: a node then
 * spins and took 85 s instead of 8 s to start.
 */
public final class WallClock {
    private static final List<Path> LIBRARIES = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
            Path.of("/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"),
            Path.of("/usr/lib/faketime/libfaketime.so.1"));

    private final Path file;
    private long offsetSeconds;

    WallClock(Path file) {
        this.file = file;
        write(0);
    }

    /** The libfaketime shared object, or null when the package is not installed. */
    public static Path library() {
        return LIBRARIES.stream().filter(Files::exists).findFirst().orElse(null);
    }

    /** The environment that makes a JVM read its wall clock through this object. */
    Map<String, String> environment() {
        Path lib = library();
        if (lib == null) {
            throw new IllegalStateException("libfaketime is missing: run fault/setup.sh (apt-get install faketime)");
        }
        return Map.of("LD_PRELOAD", lib.toString(), "FAKETIME_TIMESTAMP_FILE", file.toString(),
                "FAKETIME_CACHE_DURATION", "1", "FAKETIME_DONT_FAKE_MONOTONIC", "1", "FAKETIME_FORCE_MONOTONIC_FIX", "0");
    }

    /** Steps the wall clock by {@code seconds} more (negative: backwards). */
    public synchronized void step(long seconds) {
        write(offsetSeconds + seconds);
    }

    /** Puts the wall clock back to the real time. */
    public synchronized void reset() {
        write(0);
    }

    public synchronized long offsetSeconds() {
        return offsetSeconds;
    }

    private void write(long seconds) {
        try {
            // Written whole and renamed: the library must never read a half-written offset.
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, (seconds >= 0 ? "+" : "") + seconds + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            offsetSeconds = seconds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.sluice.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed authentications per client IP, to protect the node's worker pool from floods of wrong
 * passwords (each new one costs a PBKDF2 derivation; the caller counts only those, since a wrong
 * password sent again is answered from the verifier's cache): once an IP has failed
 * {@code security.authentication.failures.max} times within a window of
 * {@code security.authentication.failures.window.ms}, its requests are answered 429 without being
 * verified until the window ends. Counted per IP, not per user, so that a stranger cannot lock a
 * user out by failing in their name. Thread-safe; an IP's count goes once its window has passed.
 */
public final class AuthenticationFailures {
    private static final int CLEANUP_ABOVE = 10_000;

    private final int max;
    private final long windowMs;
    private final LongSupplier nowMs;
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();

    /** {@code max} 0: no limit. */
    public AuthenticationFailures(int max, long windowMs, LongSupplier nowMs) {
        this.max = max;
        this.windowMs = windowMs;
        this.nowMs = nowMs;
    }

    /** Milliseconds until {@code ip} may try again; 0 when it may now. */
    public long blockedForMs(String ip) {
        if (max <= 0) {
            return 0;
        }
        long[] w = windows.get(ip);
        if (w == null) {
            return 0;
        }
        synchronized (w) {
            long left = w[0] + windowMs - nowMs.getAsLong();
            return w[1] >= max && left > 0 ? left : 0;
        }
    }

    /** {@code ip} failed to authenticate once more. */
    public void failed(String ip) {
        if (max <= 0) {
            return;
        }
        long now = nowMs.getAsLong();
        if (windows.size() > CLEANUP_ABOVE) {
            windows.values().removeIf(w -> {
                synchronized (w) {
                    return now - w[0] >= windowMs;
                }
            });
        }
        long[] w = windows.computeIfAbsent(ip, k -> new long[] {now, 0});
        synchronized (w) {
            if (now - w[0] >= windowMs) {
                w[0] = now;
                w[1] = 0;
            }
            w[1]++;
        }
    }
}

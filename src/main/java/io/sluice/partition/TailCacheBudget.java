package io.sluice.partition;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's memory for tail caches ({@code sluice.partition.tail.cache.total.bytes}), shared
 * evenly by the leaders that have one: each {@link TailCache} keeps at most its topic's
 * {@code sluice.partition.tail.cache.bytes} and at most its share of the total. Without it a
 * node leading 10,000 partitions could hold 10 GiB of batches at 1 MiB each; with it, a few
 * busy partitions still get their full cache and many get a few batches each, which is all
 * their caught-up readers need. Thread-safe: leaders on every event loop open and close caches.
 */
final class TailCacheBudget {
    private final long totalBytes;
    private final AtomicInteger caches = new AtomicInteger();

    /** @param totalBytes the node's total; 0 or less: an eighth of the maximum heap */
    TailCacheBudget(long totalBytes) {
        this.totalBytes = totalBytes > 0 ? totalBytes : Runtime.getRuntime().maxMemory() / 8;
    }

    /** A cache of at most {@code maxBytes} within this budget; {@link TailCache#close} gives its share back. */
    TailCache open(int maxBytes) {
        caches.incrementAndGet();
        return new TailCache(maxBytes, this);
    }

    void closed() {
        caches.decrementAndGet();
    }

    /** What one open cache may hold now. */
    int share() {
        return (int) Math.min(Integer.MAX_VALUE, totalBytes / Math.max(1, caches.get()));
    }

    /** Caches open now (metrics, tests). */
    int openCaches() {
        return caches.get();
    }
}

package io.sluice.partition;

import io.sluice.record.RecordBatch;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The batches a leader appended most recently, as they were written, so that fetches for the
 * tail of the log (caught-up consumers and followers: almost all of them) are answered from
 * memory on the partition's own thread, without a hop to a reader thread and a file read. Holds
 * at most {@code maxBytes} and at most its share of the node's {@link TailCacheBudget}; older
 * batches fall out and are read from the log as before.
 *
 * <p>Only whole, consecutive batches are kept: an append that does not follow the newest batch
 * (after a truncation, a duplicate, a role change) starts the cache again. Plain state, used on
 * the partition's context.
 */
final class TailCache {
    private final int maxBytes;
    private final TailCacheBudget budget;
    private boolean closed;
    /**
     * A ring of batches, oldest at {@code head}; grows by doubling when full. Each batch's base
     * offset, next offset and size sit in arrays beside it: adding a batch, evicting the oldest
     * and searching the ring then read only these arrays, not the batches themselves, which
     * are long out of the CPU's caches by the time they are evicted.
     */
    private RecordBatch[] ring = new RecordBatch[64];
    private long[] baseOffsets = new long[64];
    private long[] nextOffsets = new long[64];
    private int[] sizes = new int[64];
    private int head;
    private int count;
    private int bytes;

    TailCache(int maxBytes, TailCacheBudget budget) {
        this.maxBytes = maxBytes;
        this.budget = budget;
    }

    /** Empties the cache and gives its share of the budget back (the replica stopped leading). */
    void close() {
        if (!closed) {
            closed = true;
            clear();
            budget.closed();
        }
    }

    /** Adds a batch just written at the log end (its offsets and epoch stamped). */
    void add(RecordBatch batch) {
        long base = batch.baseOffset();
        int size = batch.sizeInBytes();
        if (count > 0 && nextOffsets[slot(count - 1)] != base) {
            clear();
        }
        int limit = Math.min(maxBytes, budget.share());
        if (size > limit) {
            clear();
            return;
        }
        if (count == ring.length) {
            grow();
        }
        int at = slot(count);
        ring[at] = batch;
        baseOffsets[at] = base;
        nextOffsets[at] = batch.nextOffset();
        sizes[at] = size;
        count++;
        bytes += size;
        while (bytes > limit) {
            removeOldest();
        }
    }

    private void grow() {
        int n = ring.length * 2;
        RecordBatch[] r = new RecordBatch[n];
        long[] b = new long[n];
        long[] e = new long[n];
        int[] z = new int[n];
        for (int i = 0; i < count; i++) {
            int from = slot(i);
            r[i] = ring[from];
            b[i] = baseOffsets[from];
            e[i] = nextOffsets[from];
            z[i] = sizes[from];
        }
        ring = r;
        baseOffsets = b;
        nextOffsets = e;
        sizes = z;
        head = 0;
    }

    void clear() {
        Arrays.fill(ring, null);
        head = 0;
        count = 0;
        bytes = 0;
    }

    /** The ring slot of the {@code i}-th batch, oldest first (the ring's length is a power of two). */
    private int slot(int i) {
        return (head + i) & (ring.length - 1);
    }

    private void removeOldest() {
        bytes -= sizes[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        count--;
    }

    /**
     * The batches from the one holding {@code offset} on, whole, ending before {@code bound}
     * (the high watermark for consumers, the log end for followers), within {@code maxBytes}
     * but at least one batch: what a log read would return. Only batches of the active segment
     * (from {@code activeSegmentBase}) are served. Null when the cache does not hold
     * {@code offset} (the caller reads the log).
     */
    ByteBuffer read(long offset, int maxBytes, long bound, long activeSegmentBase) {
        // Batches of rolled segments go: compaction may rewrite those, and readers must see its result.
        while (count > 0 && baseOffsets[head] < activeSegmentBase) {
            removeOldest();
        }
        if (count == 0 || offset < baseOffsets[head] || offset >= nextOffsets[slot(count - 1)]) {
            return null;
        }
        // Readers are nearly always at the newest batches; a binary search finds them in a cache
        // of thousands of small batches without walking it.
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (nextOffsets[slot(mid)] <= offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int first = lo;
        int size = 0;
        int n = 0;
        for (int i = first; i < count; i++) {
            int at = slot(i);
            if (nextOffsets[at] > bound || (n > 0 && size + sizes[at] > maxBytes)) {
                break;
            }
            size += sizes[at];
            n++;
        }
        if (n == 0) {
            // (The batch holding offset reaches past the bound: the log read decides.)
            return null;
        }
        if (n == 1) {
            return slice(ring[slot(first)]);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (int i = first; i < first + n; i++) {
            out.put(slice(ring[slot(i)]));
        }
        return out.flip();
    }

    private static ByteBuffer slice(RecordBatch b) {
        return b.buffer().duplicate().position(b.start()).limit(b.start() + b.sizeInBytes()).slice();
    }
}

package io.sluice.partition;

import io.sluice.log.record.RecordBatch;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The batches a leader appended most recently, as they were written, so that fetches for the
 * tail of the log (caught-up consumers and followers: almost all of them) are answered from
 * memory on the partition's own thread, without a hop to a reader thread and a file read. Holds
 * at most {@code maxBytes}; older batches fall out and are read from the log as before.
 *
 * <p>Only whole, consecutive batches are kept: an append that does not follow the newest batch
 * (after a truncation, a duplicate, a role change) starts the cache again. Plain state, used on
 * the partition's context.
 */
final class TailCache {
    private final int maxBytes;
    /** A ring of batches, oldest at {@code head}; grows by doubling when full. */
    private RecordBatch[] ring = new RecordBatch[64];
    private int head;
    private int count;
    private int bytes;

    TailCache(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Adds a batch just written at the log end (its offsets and epoch stamped). */
    void add(RecordBatch batch) {
        if (count > 0 && get(count - 1).nextOffset() != batch.baseOffset()) {
            clear();
        }
        if (batch.sizeInBytes() > maxBytes) {
            clear();
            return;
        }
        if (count == ring.length) {
            RecordBatch[] grown = new RecordBatch[ring.length * 2];
            for (int i = 0; i < count; i++) {
                grown[i] = get(i);
            }
            ring = grown;
            head = 0;
        }
        ring[(head + count) % ring.length] = batch;
        count++;
        bytes += batch.sizeInBytes();
        while (bytes > maxBytes) {
            removeOldest();
        }
    }

    void clear() {
        Arrays.fill(ring, null);
        head = 0;
        count = 0;
        bytes = 0;
    }

    /** The {@code i}-th batch, oldest first. */
    private RecordBatch get(int i) {
        return ring[(head + i) % ring.length];
    }

    private void removeOldest() {
        bytes -= ring[head].sizeInBytes();
        ring[head] = null;
        head = (head + 1) % ring.length;
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
        while (count > 0 && get(0).baseOffset() < activeSegmentBase) {
            removeOldest();
        }
        if (count == 0 || offset < get(0).baseOffset() || offset >= get(count - 1).nextOffset()) {
            return null;
        }
        // Readers are nearly always at the newest batches; a binary search finds them in a cache
        // of thousands of small batches without walking it.
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid).nextOffset() <= offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int first = lo;
        int size = 0;
        int n = 0;
        for (int i = first; i < count; i++) {
            RecordBatch b = get(i);
            if (b.nextOffset() > bound || (n > 0 && size + b.sizeInBytes() > maxBytes)) {
                break;
            }
            size += b.sizeInBytes();
            n++;
        }
        if (n == 0) {
            // (The batch holding offset reaches past the bound: the log read decides.)
            return null;
        }
        if (n == 1) {
            return slice(get(first));
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (int i = first; i < first + n; i++) {
            out.put(slice(get(i)));
        }
        return out.flip();
    }

    private static ByteBuffer slice(RecordBatch b) {
        return b.buffer().duplicate().position(b.start()).limit(b.start() + b.sizeInBytes()).slice();
    }
}

package io.sluice.partition;

import io.sluice.log.record.RecordBatch;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;

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
    private final ArrayDeque<RecordBatch> batches = new ArrayDeque<>();
    private int bytes;

    TailCache(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Adds a batch just written at the log end (its offsets and epoch stamped). */
    void add(RecordBatch batch) {
        RecordBatch newest = batches.peekLast();
        if (newest != null && newest.nextOffset() != batch.baseOffset()) {
            clear();
        }
        if (batch.sizeInBytes() > maxBytes) {
            clear();
            return;
        }
        batches.addLast(batch);
        bytes += batch.sizeInBytes();
        while (bytes > maxBytes) {
            bytes -= batches.pollFirst().sizeInBytes();
        }
    }

    void clear() {
        batches.clear();
        bytes = 0;
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
        while (!batches.isEmpty() && batches.peekFirst().baseOffset() < activeSegmentBase) {
            bytes -= batches.pollFirst().sizeInBytes();
        }
        RecordBatch first = batches.peekFirst();
        if (first == null || offset < first.baseOffset() || offset >= batches.peekLast().nextOffset()) {
            return null;
        }
        RecordBatch start = null;
        int size = 0;
        int count = 0;
        for (Iterator<RecordBatch> it = batches.iterator(); it.hasNext(); ) {
            RecordBatch b = it.next();
            if (start == null) {
                if (b.nextOffset() <= offset) {
                    continue;
                }
                start = b;
            }
            if (b.nextOffset() > bound || (count > 0 && size + b.sizeInBytes() > maxBytes)) {
                break;
            }
            size += b.sizeInBytes();
            count++;
        }
        if (count == 0) {
            // (The batch holding offset reaches past the bound: the log read decides.)
            return null;
        }
        if (count == 1) {
            return slice(start);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        int copied = 0;
        for (Iterator<RecordBatch> it = batches.iterator(); it.hasNext() && copied < count; ) {
            RecordBatch b = it.next();
            if (b.baseOffset() < start.baseOffset()) {
                continue;
            }
            out.put(slice(b));
            copied++;
        }
        return out.flip();
    }

    private static ByteBuffer slice(RecordBatch b) {
        return b.buffer().duplicate().position(b.start()).limit(b.start() + b.sizeInBytes()).slice();
    }
}

package io.sluice.log;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Bounds how many segments hold resources at once across every log of a process: an open file
 * handle and their indexes loaded in memory. Segments register when they open; past the limit the
 * least recently used idle ones are closed (their indexes written out and dropped) and reopen
 * lazily on their next use. This is what lets a node carry thousands of partitions, most of them
 * idle, without running out of file descriptors or heap.
 *
 * <p>A segment in use (a read or an append in progress) is never closed; the limit may then be
 * exceeded for as long as the use lasts. Lock order: this object, then a segment; segments never
 * call in here while holding their own lock.
 */
public final class OpenSegments {
    /** The default cap on open segments per process. */
    public static final int DEFAULT_MAX_OPEN = 2048;

    private final int maxOpen;
    private final LinkedHashMap<LogSegment, Boolean> lru = new LinkedHashMap<>(64, 0.75f, true);
    private long evictions;
    /** The most recently touched segment, the LRU's last entry: the active segment of a busy log. */
    private LogSegment newest;

    /**
     * The cap when none is configured: three quarters of the process's open-file limit
     * ({@code openFileLimit}, {@code ulimit -n}), leaving the rest to sockets, jars and the
     * controller's log, and at least {@link #DEFAULT_MAX_OPEN}. An open segment holds one file
     * descriptor and its sparse indexes (a few KiB of heap), so the file limit is the real bound;
     * a cap below the partitions written to at once makes every append reopen its segment.
     */
    public static int capFor(long openFileLimit) {
        long threeQuarters = openFileLimit / 4 * 3;
        return (int) Math.max(DEFAULT_MAX_OPEN, Math.min(Integer.MAX_VALUE, threeQuarters));
    }

    public OpenSegments(int maxOpen) {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("maxOpen must be positive");
        }
        this.maxOpen = maxOpen;
    }

    public int maxOpen() {
        return maxOpen;
    }

    /** Segments currently holding resources. */
    public synchronized int openCount() {
        return lru.size();
    }

    /** Segments closed to stay within the limit, since start. */
    public synchronized long evictions() {
        return evictions;
    }

    /** Marks {@code segment} as just used, registering it if new, and closes idle ones past the cap. */
    synchronized void touch(LogSegment segment) {
        if (segment == newest) {
            return; // (already last: every append of a busy log lands here, without a hash lookup)
        }
        lru.put(segment, Boolean.TRUE);
        newest = segment;
        if (lru.size() <= maxOpen) {
            return;
        }
        Iterator<LogSegment> it = lru.keySet().iterator();
        while (lru.size() > maxOpen && it.hasNext()) {
            LogSegment eldest = it.next();
            if (eldest != segment && eldest.tryCloseIdle()) {
                it.remove();
                evictions++;
            }
        }
    }

    /** Forgets a segment that closed or was deleted by its log. */
    synchronized void remove(LogSegment segment) {
        lru.remove(segment);
        if (segment == newest) {
            newest = null;
        }
    }
}

package io.sluice.log.cleaner;

import java.util.Arrays;

/**
 * Key hash → latest offset, for the dirty part of a log being compacted. Fixed memory
 * (24 bytes a slot, open addressing with linear probing), sized once from
 * {@code log.cleaner.dedupe.buffer.size}; when it is full the cleaning covers only the offsets
 * mapped so far and the next cleaning continues from there.
 *
 * <p>Used by one cleaner thread at a time.
 */
public final class OffsetMap {
    private static final double MAX_LOAD = 0.75;

    private final long[] h1;
    private final long[] h2;
    private final long[] offsets;
    private final int mask;
    private final int maxEntries;
    private int size;

    /** A map using about {@code bytes} of heap. */
    public OffsetMap(long bytes) {
        long slots = Long.highestOneBit(Math.max(64, bytes / 24));
        if (slots > (1 << 28)) {
            slots = 1 << 28;
        }
        int n = (int) slots;
        h1 = new long[n];
        h2 = new long[n];
        offsets = new long[n];
        mask = n - 1;
        maxEntries = (int) (n * MAX_LOAD);
        clear();
    }

    public void clear() {
        Arrays.fill(offsets, -1L);
        size = 0;
    }

    public int size() {
        return size;
    }

    public boolean isFull() {
        return size >= maxEntries;
    }

    /** Records {@code offset} for the key; later offsets win. Callers check {@link #isFull()} first. */
    void put(KeyHash key, long offset) {
        int i = slot(key);
        if (offsets[i] < 0) {
            h1[i] = key.h1;
            h2[i] = key.h2;
            size++;
        }
        if (offset > offsets[i]) {
            offsets[i] = offset;
        }
    }

    /** The latest offset recorded for the key, or -1. */
    long get(KeyHash key) {
        return offsets[slot(key)];
    }

    private int slot(KeyHash key) {
        int i = (int) (key.h1 ^ (key.h1 >>> 32)) & mask;
        while (offsets[i] >= 0 && (h1[i] != key.h1 || h2[i] != key.h2)) {
            i = (i + 1) & mask;
        }
        return i;
    }
}

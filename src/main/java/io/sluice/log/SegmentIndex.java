package io.sluice.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Storage shared by a segment's sparse indexes: fixed-size big-endian entries, held in a heap
 * buffer while the segment is in use and written to a file so that a reopened log need not scan
 * its segments. The file is derived data: it is rebuilt from the segment when it is missing or
 * fails {@link #sanityCheck(int)}, and it may lag the segment until {@link #persist(boolean)}.
 *
 * <p>The owning {@link LogSegment} serialises every call; this class does no locking itself.
 */
abstract class SegmentIndex {
    /** Changes only when a cleaned segment is renamed into place, under the segment's lock. */
    protected Path file;
    protected final long baseOffset;
    private final int entrySize;
    /** Entries [0, count) when loaded; null when unloaded to save memory. */
    protected ByteBuffer entries;
    protected int count;
    /** Entries already in the file; -1 when the file must be rewritten entirely. */
    private int persisted;

    SegmentIndex(Path file, long baseOffset, int entrySize) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
    }

    Path file() {
        return file;
    }

    boolean isLoaded() {
        return entries != null;
    }

    int entryCount() {
        return count;
    }

    /** Heap bytes held while loaded. */
    long memoryBytes() {
        return entries == null ? 0 : entries.capacity();
    }

    /**
     * Reads the file. A missing file loads as empty but marks the index for rebuilding.
     *
     * @return false if the file is missing or fails the sanity check (the index is then empty
     *         and the caller must rebuild it from the segment)
     */
    boolean load(int segmentSize) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            reset();
            return false;
        }
        if (bytes.length % entrySize != 0) {
            reset();
            return false;
        }
        entries = ByteBuffer.wrap(bytes);
        count = bytes.length / entrySize;
        persisted = count;
        if (!sanityCheck(segmentSize)) {
            reset();
            return false;
        }
        return true;
    }

    /** Empties the index; the file is rewritten at the next persist. */
    void reset() {
        entries = ByteBuffer.allocate(entrySize * 64);
        count = 0;
        persisted = -1;
    }

    /** Drops the entries from memory after persisting them. */
    void unload() throws IOException {
        persist(false);
        entries = null;
    }

    /** Writes entries not yet in the file, truncating it where entries were removed. */
    void persist(boolean fsync) throws IOException {
        if (entries == null || (persisted == count && !fsync)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            int from = persisted < 0 ? 0 : Math.min(persisted, count);
            ByteBuffer src = entries.duplicate();
            src.limit(count * entrySize).position(from * entrySize);
            long pos = (long) from * entrySize;
            while (src.hasRemaining()) {
                pos += ch.write(src, pos);
            }
            if (ch.size() > (long) count * entrySize) {
                ch.truncate((long) count * entrySize);
            }
            if (fsync) {
                ch.force(true);
            }
        }
        persisted = count;
    }

    /** Moves the file (if any) to {@code target}, replacing what is there. */
    void renameTo(Path target) throws IOException {
        if (Files.exists(file)) {
            Files.move(file, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.deleteIfExists(target);
        }
        file = target;
    }

    void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Removes entries from {@code n} on. */
    protected void truncateEntries(int n) {
        if (n < count) {
            count = n;
            if (persisted > n) {
                persisted = n;
            }
        }
    }

    /** Room for one more entry at {@code count}; returns its byte position. */
    protected int newEntryPosition() {
        int pos = count * entrySize;
        if (pos + entrySize > entries.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(entries.capacity() * 2, pos + entrySize));
            bigger.put(0, entries, 0, pos);
            entries = bigger;
        }
        return pos;
    }

    protected int entrySize() {
        return entrySize;
    }

    /**
     * Checks that the loaded entries are plausible for a segment of {@code segmentSize} bytes:
     * ordered and pointing inside the segment.
     */
    protected abstract boolean sanityCheck(int segmentSize);
}

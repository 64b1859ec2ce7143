package io.sluice.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps each leader epoch to the first offset written in it, so that a follower coming back can
 * ask the leader where its epoch ended and truncate a tail the new leader never had (Kafka's
 * KIP-101/279). Kept in the log directory and rewritten atomically on every change; changes are
 * rare (a new leader, a truncation, a log start that moved).
 *
 * <h2>File format ({@code leader-epoch-checkpoint}, text, as Kafka's)</h2>
 * <pre>
 * 0                      version
 * 2                      number of entries
 * 0 0                    "epoch startOffset", one line per entry, both increasing
 * 3 1200
 * </pre>
 *
 * <h2>Threads</h2>
 * Changed only in the owning log's writer turn (and while the log loads), read from any thread
 * (replication handlers on event loops). The entries are an immutable list published through a
 * volatile field, so readers take no lock; a change builds the next list, publishes it, then
 * rewrites the file (an fsync) holding nothing a reader could wait for.
 *
 * <h2>What is fsynced</h2>
 * A new epoch after others is durable at once: older entries describe durable batches, and the
 * rewrite must not put them at risk. Two kinds of change are written without an fsync:
 * <ul>
 *   <li>The first epoch of an empty cache, and any epoch while the file holds nothing fsynced (a
 *   partition whose leadership moved and came back before a flush), which are not even written: {@link #sync} writes and
 *   fsyncs it when the log moves its recovery point past the epoch's start offset (at a flush, or at
 *   close). Until then nothing durable depends on it: a batch of that epoch that is not yet below
 *   the recovery point has its epoch re-read from the batch by the recovery after a crash, and
 *   the checkpoint had nothing else to lose. A partition that is created or started and not
 *   written to (most of 10,000 partitions) thus costs the checkpoint nothing, neither when it gets
 *   its leader nor when it closes; an entry starting at the log end would be cut at the next open
 *   anyway.</li>
 *   <li>Truncations, from the end or the start (Kafka's {@code truncateFromEndAsyncFlush}, KAFKA-15046).
 *   If a crash loses one, the stale entries it removed come back, and the next open truncates them
 *   again against the log's end and start before anyone reads the cache ({@link #trimToLog}, which
 *   does not write the file at all: every empty partition that once had a leader used to rewrite
 *   and fsync it on every start).</li>
 * </ul>
 */
public final class LeaderEpochCache {
    public static final String FILE_NAME = "leader-epoch-checkpoint";
    public static final int UNDEFINED_EPOCH = -1;

    /** One epoch and the first offset its leader wrote. */
    public record EpochEntry(int epoch, long startOffset) {
    }

    /** Answer to "where did epoch e end": the largest epoch at or below e and its end offset. */
    public record EpochEndOffset(int epoch, long endOffset) {
        public static final EpochEndOffset UNDEFINED = new EpochEndOffset(UNDEFINED_EPOCH, -1);
    }

    /** How a change reaches the disk (see the class comment). */
    private enum Durability {
        /** Fsynced before the change returns. */
        NOW,
        /** Kept in memory; written and fsynced by {@link #sync} before the recovery point passes it. */
        BY_NEXT_SYNC,
        /** Written; a crash that loses it is undone by the next open. */
        NOT_NEEDED
    }

    private final Path file;
    /** Immutable; replaced whole by each change. */
    private volatile List<EpochEntry> entries = List.of();
    /** The file may lack entries that {@link #sync} must make durable; guarded by {@link #fileLock}. */
    private boolean unsynced;
    /** Where the oldest entry the file may lack starts (valid while {@link #unsynced}). */
    private long unsyncedFrom;
    /**
     * Whether the file on disk may hold entries that were made durable (it was there at load, or an
     * fsynced write made it); guarded by {@link #fileLock}. Until then no rewrite can put a durable
     * entry at risk, so a new epoch can wait for {@link #sync} like the first one.
     */
    private boolean fileDurable;
    /** Orders writes of the file, so that the last one holds the newest entries. */
    private final Object fileLock = new Object();

    private LeaderEpochCache(Path file) {
        this.file = file;
    }

    /** The cache of a log whose directory has no checkpoint yet. */
    static LeaderEpochCache absent(Path dir) {
        return new LeaderEpochCache(dir.resolve(FILE_NAME));
    }

    /** Loads the checkpoint in {@code dir}; a missing or unreadable file starts empty. */
    static LeaderEpochCache load(Path dir) throws IOException {
        LeaderEpochCache cache = new LeaderEpochCache(dir.resolve(FILE_NAME));
        List<String> lines;
        try {
            lines = AtomicFiles.readLines(cache.file);
        } catch (NoSuchFileException e) {
            return cache;
        }
        cache.fileDurable = true;
        try {
            int n = Integer.parseInt(lines.get(1).trim());
            List<EpochEntry> read = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String[] parts = lines.get(2 + i).trim().split(" ");
                read.add(new EpochEntry(Integer.parseInt(parts[0]), Long.parseLong(parts[1])));
            }
            cache.entries = List.copyOf(read);
        } catch (RuntimeException e) {
            // A damaged checkpoint is rebuilt from the batches' epochs during recovery.
            cache.entries = List.of();
        }
        return cache;
    }

    public List<EpochEntry> entries() {
        return entries;
    }

    public int latestEpoch() {
        List<EpochEntry> now = entries;
        return now.isEmpty() ? UNDEFINED_EPOCH : now.get(now.size() - 1).epoch();
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset}. Ignored unless the epoch is newer
     * than the latest one (a batch of an older epoch copied by a follower changes nothing).
     *
     * @return whether the cache changed
     */
    boolean assign(int epoch, long startOffset) throws IOException {
        if (epoch < 0) {
            return false;
        }
        List<EpochEntry> entries = new ArrayList<>(this.entries);
        if (!entries.isEmpty()) {
            EpochEntry last = entries.get(entries.size() - 1);
            if (epoch <= last.epoch()) {
                return false;
            }
            // Entries must keep increasing offsets; an older entry starting at or after the new
            // one would describe offsets this epoch now owns.
            while (!entries.isEmpty() && entries.get(entries.size() - 1).startOffset() > startOffset) {
                entries.remove(entries.size() - 1);
            }
        }
        boolean first = entries.isEmpty();
        entries.add(new EpochEntry(epoch, startOffset));
        boolean nothingDurable;
        synchronized (fileLock) {
            nothingDurable = !fileDurable;
        }
        // A leader that changed before anything reached the disk (a partition created, then its
        // leadership moved and came back) has nothing an unsynced rewrite could lose.
        publish(entries, first || nothingDurable ? Durability.BY_NEXT_SYNC : Durability.NOW);
        return true;
    }

    /**
     * Makes the checkpoint durable where the recovery point is about to pass it: when an entry not
     * yet fsynced starts below {@code recoveryPoint}. Any thread.
     */
    void sync(long recoveryPoint) throws IOException {
        synchronized (fileLock) {
            if (unsynced && unsyncedFrom < recoveryPoint) {
                write(Durability.NOW);
            }
        }
    }

    /** Whether the file may lack entries not yet made durable (tests). */
    boolean unsynced() {
        synchronized (fileLock) {
            return unsynced;
        }
    }

    /**
     * Where {@code epoch} ended: the start offset of the first newer epoch, or {@code logEndOffset}
     * when {@code epoch} is the latest; the epoch answered is the largest one at or below the
     * requested one. {@link EpochEndOffset#UNDEFINED} when the log knows no such epoch.
     */
    public EpochEndOffset endOffsetFor(int epoch, long logEndOffset) {
        List<EpochEntry> entries = this.entries;
        if (entries.isEmpty() || epoch < entries.get(0).epoch()) {
            return EpochEndOffset.UNDEFINED;
        }
        for (int i = 0; i < entries.size(); i++) {
            EpochEntry e = entries.get(i);
            if (e.epoch() > epoch) {
                return new EpochEndOffset(entries.get(i - 1).epoch(), e.startOffset());
            }
        }
        return new EpochEndOffset(entries.get(entries.size() - 1).epoch(), logEndOffset);
    }

    /** Epoch of the record at {@code offset}, or {@link #UNDEFINED_EPOCH}. */
    public int epochForOffset(long offset) {
        int found = UNDEFINED_EPOCH;
        for (EpochEntry e : entries) {
            if (e.startOffset() <= offset) {
                found = e.epoch();
            }
        }
        return found;
    }

    /** Drops entries starting at or after {@code endOffset}: the log was truncated there. */
    void truncateFromEnd(long endOffset) throws IOException {
        List<EpochEntry> cut = cutFromEnd(entries, endOffset);
        if (cut != null) {
            publish(cut, Durability.NOT_NEEDED);
        }
    }

    /** The log now starts at {@code startOffset}: drop epochs wholly before it, clamp the rest. */
    void truncateFromStart(long startOffset) throws IOException {
        List<EpochEntry> cut = cutFromStart(entries, startOffset);
        if (cut != null) {
            publish(cut, Durability.NOT_NEEDED);
        }
    }

    /**
     * At open, before anyone reads the cache: cuts the entries outside the log's offsets, as the
     * two truncations do, in memory only. The file keeps them until its next rewrite, and every
     * open cuts them again; writing them away would cost each empty partition that ever had a
     * leader a file rewrite on every start.
     */
    void trimToLog(long logStartOffset, long logEndOffset) {
        List<EpochEntry> now = entries;
        List<EpochEntry> cut = cutFromEnd(now, logEndOffset);
        if (cut != null) {
            now = cut;
        }
        cut = cutFromStart(now, logStartOffset);
        if (cut != null) {
            now = cut;
        }
        this.entries = List.copyOf(now);
    }

    /** {@code entries} without those starting at or after {@code endOffset}; null when none does. */
    private static List<EpochEntry> cutFromEnd(List<EpochEntry> entries, long endOffset) {
        List<EpochEntry> next = new ArrayList<>(entries);
        return next.removeIf(e -> e.startOffset() >= endOffset) ? next : null;
    }

    /** {@code entries} as of a log starting at {@code startOffset}; null when that changes nothing. */
    private static List<EpochEntry> cutFromStart(List<EpochEntry> entries, long startOffset) {
        int keepFrom = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).startOffset() <= startOffset) {
                keepFrom = i;
            }
        }
        if (keepFrom == 0 && (entries.isEmpty() || entries.get(0).startOffset() >= startOffset)) {
            return null;
        }
        List<EpochEntry> next = new ArrayList<>(entries);
        EpochEntry first = next.get(keepFrom);
        next.subList(0, keepFrom + 1).clear();
        next.add(0, new EpochEntry(first.epoch(), Math.max(first.startOffset(), startOffset)));
        return next;
    }

    /** Forgets everything (the log was emptied and restarted). */
    void clear() throws IOException {
        publish(new ArrayList<>(), Durability.NOW);
    }

    /** Makes {@code next} what readers see, then rewrites the checkpoint with it. */
    private void publish(List<EpochEntry> next, Durability durability) throws IOException {
        this.entries = List.copyOf(next);
        synchronized (fileLock) {
            write(durability);
        }
    }

    /** Writes the entries published now (which a racing change may have replaced since). */
    private void write(Durability durability) throws IOException {
        List<EpochEntry> now = this.entries;
        if (durability == Durability.BY_NEXT_SYNC) {
            long start = now.get(now.size() - 1).startOffset();
            unsyncedFrom = unsynced ? Math.min(unsyncedFrom, start) : start;
            unsynced = true;
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("0\n").append(now.size()).append('\n');
        for (EpochEntry e : now) {
            sb.append(e.epoch()).append(' ').append(e.startOffset()).append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8), durability == Durability.NOW);
        // (A write that needs no fsync keeps what an earlier change left for sync() to do.)
        if (durability == Durability.NOW) {
            unsynced = false;
            fileDurable = true;
        }
    }
}

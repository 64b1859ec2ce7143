package io.sluice.log;

import io.sluice.record.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * What the log knows of each idempotent producer: its epoch and its last few batches' sequence
 * ranges and offsets, so that a retried batch is answered with the offsets it got the first time
 * instead of being written twice, and a gap in sequences is refused (Kafka's idempotent producer).
 *
 * <p>The state is derived from the batches in the log. To avoid replaying the whole log on open,
 * a snapshot of it is written at each segment roll and at close, named after the offset it covers;
 * older snapshots are kept (until retention passes them) as fallbacks.
 *
 * <h2>Snapshot format ({@code <offset zero-padded to 20>.snapshot}, big-endian)</h2>
 * <pre>
 * int32 version (1) | int64 offset covered | int32 producer count
 * per producer: int64 producerId | int16 epoch | int64 lastTimestamp | int32 batch count
 *   per batch: int32 firstSeq | int32 lastSeq | int64 firstOffset | int64 lastOffset
 * int32 CRC32C of everything before it
 * </pre>
 *
 * <p>Confined to the owning log's writer turn (see {@link LogWriter}): no lock.
 */
final class ProducerStateManager {
    static final String SNAPSHOT_SUFFIX = ".snapshot";
    /** Batches remembered per producer, as Kafka's max.in.flight limit for idempotence. */
    static final int BATCHES_PER_PRODUCER = 5;

    /** Sequence range and offsets of one appended batch. */
    record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset) {
    }

    private static final class ProducerEntry {
        short epoch;
        long lastTimestamp;
        final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(BATCHES_PER_PRODUCER);

        int lastSeq() {
            return batches.isEmpty() ? RecordBatch.NO_SEQUENCE : batches.peekLast().lastSeq();
        }
    }

    private final Path dir;
    /** In order of last update, so that the longest idle producer is the first to go past the cap. */
    private final LinkedHashMap<Long, ProducerEntry> producers = new LinkedHashMap<>(16, 0.75f, true);
    private int maxProducers = Integer.MAX_VALUE;

    ProducerStateManager(Path dir) {
        this.dir = dir;
    }

    /** Caps the producers remembered ({@code sluice.max.idempotent.producers}). */
    void setMaxProducers(int max) {
        this.maxProducers = max;
        trim();
    }

    private void trim() {
        Iterator<Map.Entry<Long, ProducerEntry>> it = producers.entrySet().iterator();
        while (producers.size() > maxProducers && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    int producerCount() {
        return producers.size();
    }

    /**
     * Checks a batch a leader is about to append.
     *
     * @return the metadata of the identical batch already in the log (a retry), or null if the
     *         batch is new and may be appended
     * @throws LogException.OutOfOrderSequence   if its sequence leaves a gap or overlaps
     * @throws LogException.InvalidProducerEpoch if the producer was fenced by a newer epoch
     */
    BatchMetadata checkAppend(long producerId, short epoch, int firstSeq, int lastSeq) {
        ProducerEntry e = producers.get(producerId);
        if (e == null) {
            return null;
        }
        if (epoch < e.epoch) {
            throw new LogException.InvalidProducerEpoch("producer " + producerId + " epoch " + epoch
                    + " is older than the current epoch " + e.epoch);
        }
        if (epoch > e.epoch) {
            return null;
        }
        for (BatchMetadata b : e.batches) {
            if (b.firstSeq() == firstSeq && b.lastSeq() == lastSeq) {
                return b;
            }
        }
        int expected = e.lastSeq() == Integer.MAX_VALUE ? 0 : e.lastSeq() + 1;
        if (e.batches.isEmpty() || firstSeq == expected) {
            return null;
        }
        throw new LogException.OutOfOrderSequence("producer " + producerId + " sent sequence " + firstSeq
                + ", expected " + expected);
    }

    /** Records an appended (or replicated, or recovered) batch. */
    void update(RecordBatch batch) {
        if (!batch.hasProducerId()) {
            return;
        }
        ProducerEntry e = producers.computeIfAbsent(batch.producerId(), id -> new ProducerEntry());
        if (batch.producerEpoch() > e.epoch || e.batches.isEmpty()) {
            e.batches.clear();
            e.epoch = batch.producerEpoch();
        } else if (batch.producerEpoch() < e.epoch) {
            return;
        }
        if (batch.baseSequence() != RecordBatch.NO_SEQUENCE) {
            if (e.batches.size() == BATCHES_PER_PRODUCER) {
                e.batches.pollFirst();
            }
            e.batches.addLast(new BatchMetadata(batch.baseSequence(), batch.lastSequence(),
                    batch.baseOffset(), batch.lastOffset()));
        }
        e.lastTimestamp = Math.max(e.lastTimestamp, batch.maxTimestamp());
        if (producers.size() > maxProducers) {
            trim();
        }
    }

    /** Forgets producers whose last batch is older than {@code now - expirationMs}. */
    void expire(long now, long expirationMs) {
        producers.values().removeIf(e -> e.lastTimestamp < now - expirationMs);
    }

    /** Forgets every producer (before a replay from an earlier point). */
    void clear() {
        producers.clear();
    }

    // ---- snapshots ----

    static Path snapshotFile(Path dir, long offset) {
        return dir.resolve(SegmentFiles.filenamePrefix(offset) + SNAPSHOT_SUFFIX);
    }

    /** Writes the state as of {@code offset} (every batch below it applied). */
    void writeSnapshot(long offset) throws IOException {
        int size = 4 + 8 + 4 + 4;
        for (ProducerEntry e : producers.values()) {
            size += 8 + 2 + 8 + 4 + e.batches.size() * 24;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.putInt(1).putLong(offset).putInt(producers.size());
        for (Map.Entry<Long, ProducerEntry> me : producers.entrySet()) {
            ProducerEntry e = me.getValue();
            buf.putLong(me.getKey()).putShort(e.epoch).putLong(e.lastTimestamp).putInt(e.batches.size());
            for (BatchMetadata b : e.batches) {
                buf.putInt(b.firstSeq()).putInt(b.lastSeq()).putLong(b.firstOffset()).putLong(b.lastOffset());
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        // Not fsynced: a snapshot lost to an OS crash fails its CRC or is missing, and the log
        // falls back to an older snapshot plus a replay.
        AtomicFiles.write(snapshotFile(dir, offset), buf.array(), false);
    }

    /**
     * Loads the newest valid snapshot at or below {@code maxOffset}, deleting newer ones (they
     * describe offsets the log no longer has).
     *
     * @return the offset the loaded snapshot covers, or -1 when none was usable (state empty)
     */
    long loadLatestSnapshot(long maxOffset) throws IOException {
        return loadLatestSnapshot(maxOffset, snapshotOffsets());
    }

    /** As {@link #loadLatestSnapshot(long)}, given the snapshots present (ascending). */
    long loadLatestSnapshot(long maxOffset, List<Long> offsets) throws IOException {
        producers.clear();
        for (int i = offsets.size() - 1; i >= 0; i--) {
            long off = offsets.get(i);
            Path f = snapshotFile(dir, off);
            if (off > maxOffset) {
                Files.deleteIfExists(f);
                continue;
            }
            if (readSnapshot(f)) {
                return off;
            }
            Files.deleteIfExists(f);
        }
        return -1;
    }

    private boolean readSnapshot(Path f) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(f));
        try {
            CRC32C crc = new CRC32C();
            crc.update(buf.array(), 0, buf.limit() - 4);
            if ((int) crc.getValue() != buf.getInt(buf.limit() - 4) || buf.getInt() != 1) {
                return false;
            }
            buf.getLong();
            int n = buf.getInt();
            for (int i = 0; i < n; i++) {
                long pid = buf.getLong();
                ProducerEntry e = new ProducerEntry();
                e.epoch = buf.getShort();
                e.lastTimestamp = buf.getLong();
                int batches = buf.getInt();
                for (int j = 0; j < batches; j++) {
                    e.batches.addLast(new BatchMetadata(buf.getInt(), buf.getInt(), buf.getLong(), buf.getLong()));
                }
                producers.put(pid, e);
            }
            return true;
        } catch (RuntimeException e) {
            producers.clear();
            return false;
        }
    }

    /** Offsets of the snapshot files present, ascending. */
    List<Long> snapshotOffsets() throws IOException {
        return snapshotOffsets(LogDirListing.of(dir));
    }

    /** Offsets of the snapshot files in {@code files}, ascending. */
    static List<Long> snapshotOffsets(LogDirListing files) {
        List<Long> out = new ArrayList<>();
        for (String name : files.endingWith(SNAPSHOT_SUFFIX)) {
            try {
                out.add(Long.parseLong(name.substring(0, name.length() - SNAPSHOT_SUFFIX.length())));
            } catch (NumberFormatException ignored) {
                // not ours
            }
        }
        out.sort(null);
        return out;
    }

    /** Deletes snapshots below {@code offset} except the newest of them, which still seeds replay. */
    void deleteSnapshotsBefore(long offset) throws IOException {
        List<Long> offsets = snapshotOffsets();
        Iterator<Long> it = offsets.iterator();
        long keep = -1;
        for (long o : offsets) {
            if (o <= offset) {
                keep = o;
            }
        }
        while (it.hasNext()) {
            long o = it.next();
            if (o < keep) {
                Files.deleteIfExists(snapshotFile(dir, o));
            }
        }
    }

    /** Deletes snapshots above {@code offset} (after a truncation). */
    void deleteSnapshotsAfter(long offset) throws IOException {
        for (long o : snapshotOffsets()) {
            if (o > offset) {
                Files.deleteIfExists(snapshotFile(dir, o));
            }
        }
    }
}

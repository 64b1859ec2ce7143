package io.sluice.partition;

import io.sluice.bus.TopicPartition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The high watermarks of every replica in one log directory, as last checkpointed, in
 * {@code <data-dir>/logs/replication-offset-checkpoint} (Kafka's file of that name, in
 * {@link OffsetCheckpointFile}'s format), so that a restarted replica does not show consumers
 * records beyond what was committed before its leader (or its followers) tell it more.
 *
 * <p>One file for the whole directory, written by one task every
 * {@code replica.high.watermark.checkpoint.interval.ms} and once at a clean stop, only when some
 * high watermark moved: it replaces a file per partition rewritten every second, whose timers and
 * writes were most of the idle cost of a node with thousands of partitions. Losing it (or its
 * last interval) is safe: a high watermark only starts lower, and each replica caps it at its log end.
 *
 * <p>Reads and writes block (worker threads); {@link #recovered} and {@link #forget} may be called
 * from any thread.
 */
public final class HighWatermarkCheckpoints {
    static final String FILE_NAME = "replication-offset-checkpoint";
    /** The per-partition file of earlier versions, read when the directory file lacks a partition. */
    static final String LEGACY_FILE = "high-watermark";

    private final OffsetCheckpointFile file;
    /** What the file held at start, until each partition's replica reports its own. */
    private final Map<TopicPartition, Long> loaded = new HashMap<>();
    /** What was last written, to skip writes that change nothing. */
    private Map<TopicPartition, Long> written = Map.of();

    public HighWatermarkCheckpoints(Path logsDir) {
        this.file = new OffsetCheckpointFile(logsDir.resolve(FILE_NAME));
    }

    /** Reads the file. Blocking. */
    public synchronized void load() throws IOException {
        loaded.clear();
        written = file.read();
        loaded.putAll(written);
    }

    /** The checkpointed high watermark of {@code tp}, whose log is in {@code logDir}; 0 if none. Blocking. */
    public long recovered(TopicPartition tp, Path logDir) throws IOException {
        synchronized (this) {
            Long hw = loaded.get(tp);
            if (hw != null) {
                return hw;
            }
        }
        try {
            return Long.parseLong(Files.readString(logDir.resolve(LEGACY_FILE), StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException | NumberFormatException e) {
            return 0;
        }
    }

    /** Drops {@code tp} from later checkpoints (its log was deleted). */
    public synchronized void forget(TopicPartition tp) {
        loaded.remove(tp);
    }

    /**
     * Writes {@code live} (the running replicas' high watermarks), with the loaded entries of
     * partitions whose replica has not started yet, unless that is what the file already holds.
     * Callers serialise calls (one ordered worker task at a time). Blocking.
     *
     * @return whether the file was written
     */
    public boolean checkpoint(Map<TopicPartition, Long> live) throws IOException {
        Map<TopicPartition, Long> all;
        synchronized (this) {
            all = new HashMap<>(loaded);
        }
        all.putAll(live);
        if (all.equals(written)) {
            return false;
        }
        file.write(all);
        written = all;
        return true;
    }
}

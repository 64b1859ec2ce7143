package io.sluice.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Opens a log directory: settles an interrupted compaction swap, lists the segments, and when the
 * last stop was not clean, recovers. Recovery walks every batch from the segment holding the
 * recovery point on, checking sizes, CRCs, record structure and growing offsets; it truncates the
 * first bad batch and everything after it (later segments included) and rebuilds the indexes of
 * what it walked. Then the leader-epoch cache and producer state are brought in line with the
 * recovered log end.
 *
 * <p>A clean shutdown marker skips the walk: the files were fsynced and closed in order.
 */
final class LogLoader {
    static final String CLEAN_SHUTDOWN_FILE = ".clean-shutdown";

    /** Everything a {@link Log} starts from. */
    record Loaded(TreeMap<Long, LogSegment> segments, long logStartOffset, long logEndOffset,
                  long cleanerCheckpoint, LeaderEpochCache epochs, ProducerStateManager producers,
                  boolean cleanShutdown, long truncatedBytes, LogState persistedState, boolean markerRemovalPending) {
    }

    private LogLoader() {
    }

    static Loaded load(Path dir, LogConfig config, LogEnvironment env) throws IOException {
        Files.createDirectories(dir);
        LogDirListing files = LogDirListing.of(dir);
        if (CleanerSwap.recover(dir, files)) {
            files = LogDirListing.of(dir);
        }
        boolean clean = files.contains(CLEAN_SHUTDOWN_FILE);
        LogState state = files.contains(LogState.FILE_NAME) ? LogState.read(dir) : LogState.EMPTY;
        TreeMap<Long, LogSegment> segments = listSegments(dir, files, config, env);
        LeaderEpochCache epochs = files.contains(LeaderEpochCache.FILE_NAME)
                ? LeaderEpochCache.load(dir) : LeaderEpochCache.absent(dir);

        long truncated = 0;
        if (segments.isEmpty()) {
            long start = state.logStartOffset();
            segments.put(start, LogSegment.create(dir, start, "", env.openSegments(), config.indexIntervalBytes));
        } else if (!clean) {
            truncated = recover(dir, segments, state.recoveryPoint(), config, epochs);
        }

        LogSegment active = segments.lastEntry().getValue();
        long logEnd = active.nextOffset();
        long logStart = Math.min(Math.max(state.logStartOffset(), segments.firstKey()), logEnd);
        epochs.trimToLog(logStart, logEnd);

        ProducerStateManager producers = new ProducerStateManager(dir);
        // Also deletes every snapshot above the log end, which a truncated tail leaves behind.
        long snapshot = producers.loadLatestSnapshot(logEnd, ProducerStateManager.snapshotOffsets(files));
        long replayFrom = Math.max(snapshot, logStart);
        if (replayFrom < logEnd) {
            for (LogSegment s : segments.tailMap(floorKey(segments, replayFrom), true).values()) {
                s.forEachBatch(replayFrom, true, producers::update);
            }
        }

        long cleanerCheckpoint = Math.min(Math.max(state.cleanerCheckpoint(), logStart), logEnd);
        if (!clean) {
            // Recovered bytes may still sit only in the page cache of a crashed process's OS.
            for (LogSegment s : segments.tailMap(floorKey(segments, state.recoveryPoint()), true).values()) {
                s.flush();
            }
        }
        // From here on a crash must be detected: the marker goes now, and its removal is made
        // durable before the log's first change (Log#ensureCrashDetectable). Not here: a directory
        // fsync per log was most of a start of 10,000 idle partitions, and a log that is never
        // changed in this run is as clean after a crash as the marker says.
        boolean markerRemovalPending = clean && Files.deleteIfExists(dir.resolve(CLEAN_SHUTDOWN_FILE));
        // The recovery point becomes the log end: the epochs recovery re-read must be durable first.
        epochs.sync(logEnd);
        LogState opened = new LogState(logEnd, logStart, cleanerCheckpoint);
        if (!opened.equals(state)) {
            opened.write(dir);
        }
        return new Loaded(segments, logStart, logEnd, cleanerCheckpoint, epochs, producers, clean, truncated, opened,
                markerRemovalPending);
    }

    private static long floorKey(TreeMap<Long, LogSegment> segments, long offset) {
        Long k = segments.floorKey(offset);
        return k == null ? segments.firstKey() : k;
    }

    private static long recover(Path dir, TreeMap<Long, LogSegment> segments, long recoveryPoint,
                                LogConfig config, LeaderEpochCache epochs) throws IOException {
        long truncated = 0;
        List<Long> bases = new ArrayList<>(segments.tailMap(floorKey(segments, recoveryPoint), true).keySet());
        long expectedNext = -1;
        for (int i = 0; i < bases.size(); i++) {
            LogSegment s = segments.get(bases.get(i));
            if (expectedNext >= 0 && s.baseOffset() < expectedNext) {
                // A segment starting inside its predecessor cannot be trusted.
                dropFrom(segments, bases, i);
                break;
            }
            int cut = s.recover(Math.max(config.maxMessageBytes, config.segmentBytes), b -> epochs.assign(b.leaderEpoch(), b.baseOffset()));
            truncated += cut;
            expectedNext = s.nextOffset();
            if (cut > 0) {
                // Everything after a torn or corrupt batch is dropped, later segments included.
                truncated += dropFrom(segments, bases, i + 1);
                break;
            }
        }
        return truncated;
    }

    private static long dropFrom(TreeMap<Long, LogSegment> segments, List<Long> bases, int from) throws IOException {
        long bytes = 0;
        for (int j = from; j < bases.size(); j++) {
            LogSegment dead = segments.remove(bases.get(j));
            bytes += dead.size();
            dead.delete();
        }
        return bytes;
    }

    private static TreeMap<Long, LogSegment> listSegments(Path dir, LogDirListing files, LogConfig config,
                                                          LogEnvironment env) throws IOException {
        TreeMap<Long, LogSegment> segments = new TreeMap<>();
        List<String> strays = new ArrayList<>();
        for (String name : files.endingWith(SegmentFiles.LOG_SUFFIX)) {
            Long base = parseBase(name, SegmentFiles.LOG_SUFFIX);
            if (base != null) {
                segments.put(base, LogSegment.open(dir, base, env.openSegments(), config.indexIntervalBytes));
            }
        }
        for (String name : files.names()) {
            if (name.endsWith(AtomicFiles.TMP_SUFFIX)) {
                strays.add(name);
            }
            // Indexes without a log file belong to nothing.
            for (String suffix : new String[] {SegmentFiles.INDEX_SUFFIX, SegmentFiles.TIME_INDEX_SUFFIX}) {
                Long base = name.endsWith(suffix) ? parseBase(name, suffix) : null;
                if (base != null && !segments.containsKey(base)) {
                    strays.add(name);
                }
            }
        }
        for (String name : strays) {
            Files.deleteIfExists(dir.resolve(name));
        }
        return segments;
    }

    private static Long parseBase(String name, String suffix) {
        String digits = name.substring(0, name.length() - suffix.length());
        if (digits.length() != 20) {
            return null;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Writes the marker that lets the next open skip recovery. Call after everything is fsynced.
     * The marker itself is not fsynced: lost to an OS crash, it only costs the next open a
     * recovery; present, it was created after the fsyncs it vouches for had completed. (Its two
     * fsyncs per log were most of what a clean stop of 10,000 idle partitions spent.) Its removal
     * at open, by contrast, is made durable before the log's first change.
     */
    static void markCleanShutdown(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(CLEAN_SHUTDOWN_FILE), new byte[0], false);
    }
}

package io.sluice.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The names of a segment's files and the operations on them as a set, without opening a segment
 * (Kafka's {@code LogFileUtils}): base offset to file name, creating an empty set, the renames
 * that put a cleaned set in place, and deletion by name.
 *
 * <h2>Naming</h2>
 * <pre>
 * 00000000000000001000.log         record batches of the segment whose base offset is 1000
 * 00000000000000001000.index       its offset index
 * 00000000000000001000.timeindex   its time index
 * 00000000000000001000.log.cleaned (and .index.cleaned, .timeindex.cleaned) a cleaned copy
 *                                  waiting to be swapped in ({@link CleanerSwap})
 * </pre>
 * The prefix is the base offset zero-padded to 20 digits, as Kafka's, so that a directory
 * listing sorts by offset. Producer-state snapshots use the same prefix.
 *
 * <p>Stateless; callers order the calls (a {@link LogSegment} under its monitor, the log's
 * loader and a swap's recovery before the log opens).
 */
final class SegmentFiles {
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String CLEANED_SUFFIX = ".cleaned";

    private SegmentFiles() {
    }

    /** Zero-padded 20-digit base offset, the prefix of every file of a segment. */
    static String filenamePrefix(long offset) {
        String s = Long.toString(offset);
        return "0".repeat(Math.max(0, 20 - s.length())) + s;
    }

    static Path logFile(Path dir, long baseOffset, String suffix) {
        return dir.resolve(filenamePrefix(baseOffset) + LOG_SUFFIX + suffix);
    }

    static Path offsetIndexFile(Path dir, long baseOffset, String suffix) {
        return dir.resolve(filenamePrefix(baseOffset) + INDEX_SUFFIX + suffix);
    }

    static Path timeIndexFile(Path dir, long baseOffset, String suffix) {
        return dir.resolve(filenamePrefix(baseOffset) + TIME_INDEX_SUFFIX + suffix);
    }

    /** An empty log file under the set's name, and no index files: any of a former set go. */
    static void createEmpty(Path dir, long baseOffset, String suffix) throws IOException {
        Files.deleteIfExists(offsetIndexFile(dir, baseOffset, suffix));
        Files.deleteIfExists(timeIndexFile(dir, baseOffset, suffix));
        Files.newByteChannel(logFile(dir, baseOffset, suffix), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING).close();
    }

    /** Moves {@code from} to {@code to} in one step, replacing what is there. */
    static void replace(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Renames the files of a cleaned segment left by an interrupted swap, without opening it. */
    static void completeRename(Path dir, long baseOffset) throws IOException {
        String prefix = filenamePrefix(baseOffset);
        for (String kind : new String[] {LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX}) {
            Path from = dir.resolve(prefix + kind + CLEANED_SUFFIX);
            Path to = dir.resolve(prefix + kind);
            if (Files.exists(from)) {
                replace(from, to);
            } else if (!kind.equals(LOG_SUFFIX)) {
                // An index of the old segment would describe the wrong file; it is rebuilt instead.
                Files.deleteIfExists(to);
            }
        }
    }

    /** Deletes a segment's files by name, without opening it. */
    static void deleteFiles(Path dir, long baseOffset, String suffix) throws IOException {
        Files.deleteIfExists(logFile(dir, baseOffset, suffix));
        Files.deleteIfExists(offsetIndexFile(dir, baseOffset, suffix));
        Files.deleteIfExists(timeIndexFile(dir, baseOffset, suffix));
    }
}

package io.sluice.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One compaction swap, and the commit protocol that makes it atomic across a crash: consecutive
 * old segments are replaced by cleaned segments covering the same offsets, and after a crash the
 * log holds either all of the old ones or all of the new ones, never a mix.
 *
 * <h2>Steps, and who runs them</h2>
 * Every fsync of a swap runs on the cleaner's thread, outside any lock and outside the writer's
 * turn. Only the steps that must not interleave with other changes of the segment list run in
 * the {@link LogWriter}'s turn, between appends, and none touches the disk: the cleaner's thread
 * takes the turn for them when it is free (microseconds), else the writer runs them next.
 * <ol>
 * <li><b>prepare</b> (cleaner): the cleaned segments were written under {@code .cleaned} names
 *     and fsynced as each was finished ({@link CleanedSegment#finish()}); the directory is
 *     fsynced so that their names are durable too.</li>
 * <li><b>reserve</b> (writer's turn): the old segments are checked to be still in the log and not
 *     active (retention or truncation may have got there first: then the cleaned files are
 *     deleted and nothing happened). From here until <b>release</b>, writer operations that
 *     delete or rewrite segments (truncation, retention, close, delete) wait in the writer's
 *     queue, in order; appends, rolls and flushes go on.</li>
 * <li><b>commit</b> (cleaner): this manifest is written atomically ({@link AtomicFiles}: fsync of
 *     a temporary file, rename, fsync of the directory). That rename is the commit point.</li>
 * <li><b>install</b> (writer's turn): readers switch from the old list to the new in one step
 *     ({@link Log#installCleaned}), and the cleaner checkpoint moves.</li>
 * <li><b>complete</b> (cleaner): old files whose base offset no cleaned segment takes are
 *     deleted, cleaned files renamed over their final names (open descriptors stay valid), the
 *     directory fsynced, the manifest deleted (and the directory fsynced), {@code log-state}
 *     written.</li>
 * <li><b>release</b> (writer's turn): the waiting operations go on.</li>
 * </ol>
 * On open ({@link #recover}), a manifest means "roll forward" (finish the renames and deletions,
 * which are idempotent); no manifest means "roll back" (delete any {@code .cleaned} file).
 * If writing the manifest fails, the swap is rolled back at once when the manifest can be removed;
 * when even that fails, or anything fails after the commit, the log is failed and its next open
 * settles the swap from what is on disk.
 *
 * <h2>Manifest format ({@code cleaner-swap}, text)</h2>
 * <pre>
 * version 1
 * replace 0 1000 2000     base offsets of the segments being replaced
 * with 0 2000             base offsets of the cleaned segments replacing them
 * </pre>
 *
 * <h2>Fault injection</h2>
 * A hook sees the name of each step as it is passed, and the name {@code fsync:<what>} just before
 * each fsync, on the thread doing it; tests throw there to simulate a crash, or block there to
 * make an fsync slow.
 */
final class CleanerSwap {
    static final String FILE_NAME = "cleaner-swap";

    private final Log log;
    private final Path dir;
    private final List<LogSegment> old;
    private final List<CleanedSegment> cleaned;
    private final Consumer<String> hook;

    CleanerSwap(Log log, List<LogSegment> old, List<CleanedSegment> cleaned, Consumer<String> hook) {
        this.log = log;
        this.dir = log.dir();
        this.old = List.copyOf(old);
        this.cleaned = List.copyOf(cleaned);
        this.hook = hook;
    }

    List<LogSegment> oldSegments() {
        return old;
    }

    List<LogSegment> cleanedSegments() {
        return cleaned.stream().map(CleanedSegment::segment).toList();
    }

    /** Step 1, on the cleaner's thread: the cleaned files' names made durable. */
    void prepare() throws IOException {
        for (CleanedSegment c : cleaned) {
            c.segment().flush(); // (a no-op for a finished segment: it was fsynced by finish())
        }
        hook.accept("fsync:cleaned-names");
        AtomicFiles.fsyncDirectory(dir);
        hook.accept("cleaned-segments-durable");
    }

    /** The reservation, in the writer's turn: whether the swap may go on. */
    boolean reserve() {
        log.ensureWritable();
        if (!log.canReplace(old)) {
            return false;
        }
        hook.accept("segments-reserved");
        return true;
    }

    /**
     * Step 3, on the cleaner's thread: the manifest, whose durable rename commits the swap.
     *
     * @throws IOException when the manifest could not be written; the swap was then rolled back
     *                     (manifest and cleaned files removed) unless {@link Uncertain}
     */
    void commit() throws IOException {
        List<Long> oldBases = old.stream().map(LogSegment::baseOffset).toList();
        List<Long> newBases = cleaned.stream().map(CleanedSegment::baseOffset).toList();
        String text = "version 1\nreplace " + join(oldBases) + "\nwith " + join(newBases) + "\n";
        try {
            hook.accept("fsync:manifest");
            AtomicFiles.write(dir.resolve(FILE_NAME), text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // The rename may have happened with the directory fsync failing after it: the swap is
            // undone only once no manifest can be found on disk.
            try {
                deleteManifest(dir);
            } catch (IOException again) {
                e.addSuppressed(again);
                throw new Uncertain(e);
            }
            try {
                abandon();
            } catch (IOException again) {
                e.addSuppressed(again); // (the next open deletes what is left: no manifest, roll back)
            }
            throw e;
        }
        hook.accept("manifest-committed");
    }

    /** The install, in the writer's turn: readers switch lists. */
    void install(long newCleanerCheckpoint) {
        log.installCleaned(old, cleanedSegments(), newCleanerCheckpoint);
        hook.accept("segments-swapped");
    }

    /** Step 5, on the cleaner's thread: files into place, manifest gone, checkpoint written. */
    void complete() throws IOException {
        Set<Long> newBases = new HashSet<>();
        cleaned.forEach(c -> newBases.add(c.baseOffset()));
        for (LogSegment s : old) {
            if (newBases.contains(s.baseOffset())) {
                s.retire(); // (its files are replaced by the rename below)
            } else {
                s.delete();
                hook.accept("old-segment-deleted");
            }
        }
        for (CleanedSegment c : cleaned) {
            c.segment().renameToFinal();
            hook.accept("cleaned-segment-renamed");
        }
        hook.accept("fsync:renames");
        AtomicFiles.fsyncDirectory(dir);
        hook.accept("fsync:manifest-deletion");
        deleteManifest(dir);
        hook.accept("manifest-deleted");
        hook.accept("fsync:log-state");
        log.persistState();
    }

    /** Deletes the cleaned files: the swap did not commit. */
    void abandon() throws IOException {
        IOException first = null;
        for (CleanedSegment c : cleaned) {
            try {
                c.abort();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The manifest's fate is unknown: only reopening the log can settle the swap. */
    static final class Uncertain extends IOException {
        Uncertain(Throwable cause) {
            super("compaction swap neither committed nor rolled back: " + cause.getMessage(), cause);
        }
    }

    static void deleteManifest(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE_NAME));
        AtomicFiles.fsyncDirectory(dir);
    }

    /**
     * Finishes or undoes a swap interrupted by a crash. Runs before the log lists its segments.
     *
     * @param files the directory as listed before
     * @return whether it changed the directory (so that it must be listed again)
     */
    static boolean recover(Path dir, LogDirListing files) throws IOException {
        if (!files.contains(FILE_NAME)) {
            List<String> leftovers = files.endingWith(SegmentFiles.CLEANED_SUFFIX);
            for (String name : leftovers) {
                Files.deleteIfExists(dir.resolve(name));
            }
            return !leftovers.isEmpty();
        }
        List<String> lines = AtomicFiles.readLines(dir.resolve(FILE_NAME));
        List<Long> replaced = parse(lines, "replace");
        List<Long> cleaned = parse(lines, "with");
        for (long base : cleaned) {
            SegmentFiles.completeRename(dir, base);
        }
        for (long base : replaced) {
            if (!cleaned.contains(base)) {
                SegmentFiles.deleteFiles(dir, base, "");
            }
        }
        deleteManifest(dir);
        return true;
    }

    private static List<Long> parse(List<String> lines, String key) throws IOException {
        for (String line : lines) {
            String[] parts = line.trim().split(" ");
            if (parts[0].equals(key)) {
                List<Long> out = new ArrayList<>();
                for (int i = 1; i < parts.length; i++) {
                    out.add(Long.parseLong(parts[i]));
                }
                return out;
            }
        }
        // The manifest is written atomically, so a missing line means it is not ours to trust.
        throw new IOException("cleaner swap manifest has no '" + key + "' line");
    }

    private static String join(List<Long> offsets) {
        StringBuilder sb = new StringBuilder();
        for (long o : offsets) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(o);
        }
        return sb.toString();
    }
}

package io.sluice.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The commit protocol that makes a compaction swap atomic across a crash: cleaned segments are
 * written under {@code .cleaned} names and fsynced; then this manifest is written atomically, and
 * that write is the commit point; then old files are deleted and cleaned ones renamed into place;
 * then the manifest is deleted.
 * On open, a manifest means "roll forward" (finish the renames and deletions, which are idempotent);
 * no manifest means "roll back" (delete any {@code .cleaned} file). Either way the log holds the
 * old segments or the new ones, never a mix.
 *
 * <h2>Manifest format ({@code cleaner-swap}, text)</h2>
 * <pre>
 * version 1
 * replace 0 1000 2000     base offsets of the segments being replaced
 * with 0 2000             base offsets of the cleaned segments replacing them
 * </pre>
 */
final class CleanerSwap {
    static final String FILE_NAME = "cleaner-swap";

    private CleanerSwap() {
    }

    static void writeManifest(Path dir, List<Long> replaced, List<Long> cleaned) throws IOException {
        String text = "version 1\nreplace " + join(replaced) + "\nwith " + join(cleaned) + "\n";
        AtomicFiles.write(dir.resolve(FILE_NAME), text.getBytes(StandardCharsets.UTF_8));
    }

    static void deleteManifest(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE_NAME));
        AtomicFiles.fsyncDirectory(dir);
    }

    /** Finishes or undoes a swap interrupted by a crash. Runs before the log lists its segments. */
    static void recover(Path dir) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(FILE_NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            deleteCleanedFiles(dir);
            return;
        }
        List<Long> replaced = parse(lines, "replace");
        List<Long> cleaned = parse(lines, "with");
        for (long base : cleaned) {
            LogSegment.completeRename(dir, base);
        }
        for (long base : replaced) {
            if (!cleaned.contains(base)) {
                LogSegment.deleteFiles(dir, base, "");
            }
        }
        deleteManifest(dir);
    }

    private static void deleteCleanedFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + LogSegment.CLEANED_SUFFIX)) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
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

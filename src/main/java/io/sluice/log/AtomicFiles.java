package io.sluice.log;

import java.io.IOException;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes small files so that a crash leaves either the old or the new content: write a temporary
 * sibling, fsync it, rename it over the target, fsync the directory. Used for every checkpoint
 * and manifest the log keeps.
 */
public final class AtomicFiles {
    public static final String TMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /**
     * Replaces {@code target} atomically. With {@code durable} false nothing is fsynced: a process
     * crash still leaves old or new content, an OS crash may leave neither, which suits files that
     * carry their own checksum and have a fallback (producer-state snapshots).
     */
    public static void write(Path target, byte[] content, boolean durable) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (durable) {
                ch.force(true);
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (durable) {
            fsyncDirectory(target.getParent());
        }
    }

    /** Makes renames and creations in {@code dir} durable. */
    /**
     * The lines of a small text file (a checkpoint), read as bytes: {@code Files.readAllLines}
     * allocates a reader with 16 KB of buffers per call, which 10,000 partitions opening their logs
     * at start paid several times each.
     *
     * @throws java.nio.file.NoSuchFileException when it does not exist
     */
    public static List<String> readLines(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }

    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open directories; nothing more can be done there.
            if (Files.isDirectory(dir)) {
                return;
            }
            throw e;
        }
    }
}

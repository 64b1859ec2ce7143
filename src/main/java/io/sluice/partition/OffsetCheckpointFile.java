package io.sluice.partition;

import io.sluice.bus.TopicPartition;
import io.sluice.log.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One offset per partition in one file for a whole log directory, in Kafka's checkpoint format
 * (Kafka's {@code OffsetCheckpointFile}, used for {@code replication-offset-checkpoint}):
 * <pre>
 * 0                 version
 * 2                 number of entries
 * clicks 0 1200     topic, partition, offset (topic names hold no spaces)
 * clicks 1 873
 * </pre>
 * Written whole and crash-safely ({@link AtomicFiles}: a temporary sibling, fsynced, renamed over
 * the file, the directory fsynced), so a crash leaves the old content or the new, never a mix.
 * A file that does not parse (foreign, or from a newer version) reads as empty: every offset kept
 * here must be safe to lose, which only costs the readers a lower starting point.
 */
final class OffsetCheckpointFile {
    static final int VERSION = 0;
    private static final System.Logger LOG = System.getLogger(OffsetCheckpointFile.class.getName());

    private final Path file;

    OffsetCheckpointFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** The entries on disk; empty when the file is absent or unreadable. Blocking. */
    Map<TopicPartition, Long> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        try {
            return parse(lines);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, file + " is malformed and is ignored: " + e.getMessage());
            return Map.of();
        }
    }

    private static Map<TopicPartition, Long> parse(List<String> lines) {
        if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
            throw new IllegalArgumentException("no version " + VERSION + " header");
        }
        int count = Integer.parseInt(lines.get(1).trim());
        if (count != lines.size() - 2) {
            throw new IllegalArgumentException("header says " + count + " entries, found " + (lines.size() - 2));
        }
        Map<TopicPartition, Long> out = new HashMap<>(count * 2);
        for (int i = 2; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split(" ");
            if (f.length != 3) {
                throw new IllegalArgumentException("line " + (i + 1) + " has " + f.length + " fields, not 3");
            }
            out.put(new TopicPartition(f[0], Integer.parseInt(f[1])), Long.parseLong(f[2]));
        }
        return out;
    }

    /** Replaces the file with {@code offsets}, durably. Blocking: never on an event loop. */
    void write(Map<TopicPartition, Long> offsets) throws IOException {
        StringBuilder text = new StringBuilder(32 + offsets.size() * 24);
        text.append(VERSION).append('\n').append(offsets.size()).append('\n');
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            text.append(e.getKey().topic()).append(' ').append(e.getKey().partition()).append(' ')
                    .append(e.getValue()).append('\n');
        }
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}

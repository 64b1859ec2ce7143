package io.sluice.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The offsets a log checkpoints besides its data, in the {@code log-state} file of its directory:
 * <pre>
 * version 1
 * recovery-point 1200        every batch below was fsynced: recovery after a crash starts here
 * log-start-offset 300       first offset readers may ask for
 * cleaner-checkpoint 900     compaction has cleaned everything below
 * </pre>
 * Written atomically ({@link AtomicFiles}); an unreadable file counts as absent, which only makes
 * the next recovery scan more.
 */
record LogState(long recoveryPoint, long logStartOffset, long cleanerCheckpoint) {
    static final String FILE_NAME = "log-state";
    static final LogState EMPTY = new LogState(0, 0, 0);

    static LogState read(Path dir) throws IOException {
        long rp = 0;
        long start = 0;
        long cleaner = 0;
        try {
            for (String line : AtomicFiles.readLines(dir.resolve(FILE_NAME))) {
                String[] kv = line.trim().split(" ");
                if (kv.length != 2) {
                    continue;
                }
                switch (kv[0]) {
                    case "recovery-point" -> rp = Long.parseLong(kv[1]);
                    case "log-start-offset" -> start = Long.parseLong(kv[1]);
                    case "cleaner-checkpoint" -> cleaner = Long.parseLong(kv[1]);
                    default -> {
                        // version line or a key from a newer release
                    }
                }
            }
        } catch (NoSuchFileException | NumberFormatException e) {
            return EMPTY;
        }
        return new LogState(rp, start, cleaner);
    }

    void write(Path dir) throws IOException {
        String text = "version 1\nrecovery-point " + recoveryPoint + "\nlog-start-offset " + logStartOffset
                + "\ncleaner-checkpoint " + cleanerCheckpoint + "\n";
        AtomicFiles.write(dir.resolve(FILE_NAME), text.getBytes(StandardCharsets.UTF_8));
    }
}

package io.sluice.partition;

import io.sluice.log.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The partition's high watermark as last known, in {@code high-watermark} in its log directory,
 * so that a restarted replica does not show consumers records beyond what was committed before
 * its followers (or its leader) tell it more. Written every second and at close, not fsynced:
 * losing it only makes the high watermark start lower.
 */
final class HighWatermarkCheckpoint {
    private static final String FILE = "high-watermark";

    private final Path file;
    private long written = -1;

    HighWatermarkCheckpoint(Path logDir) {
        this.file = logDir.resolve(FILE);
    }

    long read() throws IOException {
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException | NumberFormatException e) {
            return 0;
        }
    }

    void write(long highWatermark) throws IOException {
        if (highWatermark != written && Files.isDirectory(file.getParent())) {
            AtomicFiles.write(file, Long.toString(highWatermark).getBytes(StandardCharsets.US_ASCII), false);
            written = highWatermark;
        }
    }
}

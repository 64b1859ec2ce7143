package io.sluice.log;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The names of the files in one log directory, listed once when the log opens. Opening answered
 * "is the checkpoint there? which snapshots, segments, cleaned leftovers?" with a listing or a
 * failed open each (five listings and up to three {@code NoSuchFileException}s per log), which a
 * start of 10,000 partitions paid 10,000 times. A listing is a snapshot: whoever changes the
 * directory lists it again.
 */
final class LogDirListing {
    private final Set<String> names;

    private LogDirListing(Set<String> names) {
        this.names = names;
    }

    static LogDirListing of(Path dir) throws IOException {
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        }
        return new LogDirListing(names);
    }

    boolean contains(String name) {
        return names.contains(name);
    }

    /** The names ending with {@code suffix}, in no particular order. */
    List<String> endingWith(String suffix) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.endsWith(suffix)) {
                out.add(n);
            }
        }
        return out;
    }

    Set<String> names() {
        return names;
    }
}

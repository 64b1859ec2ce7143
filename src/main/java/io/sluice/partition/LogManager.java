package io.sluice.partition;

import io.sluice.bus.TopicPartition;
import io.sluice.common.Clock;
import io.sluice.config.BrokerSettings;
import io.sluice.log.AtomicFiles;
import io.sluice.log.LogConfig;
import io.sluice.log.LogEnvironment;
import io.sluice.log.LogWriter;
import io.sluice.log.OpenSegments;

import com.sun.management.UnixOperatingSystemMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Owns this node's log directories ({@code <data-dir>/logs/<topic>-<partition>}) and what their
 * logs share: the cap on open segments ({@code sluice.log.max.open.segments}, by default sized from
 * the process's open-file limit), the I/O threads of the partitions' writers and readers,
 * the background thread for flushes of rolled segments, and the {@link LogCleanerService}.
 * Each log directory carries a {@code partition.metadata} file with its topic's id, so that the
 * logs of a deleted topic are never mistaken for those of a new topic with the same name.
 * Plain Java; its blocking methods run on worker threads.
 */
public final class LogManager {
    static final String PARTITION_METADATA = "partition.metadata";

    private final Path logsDir;
    private final LogEnvironment env;
    private final ExecutorService writers;
    private final ExecutorService readers;
    private final ExecutorService background;
    private final LogCleanerService cleaner;

    /** {@code clock}: its wall time stamps appends and drives retention and compaction by time. */
    public LogManager(Path dataDir, BrokerSettings broker, Clock clock) throws IOException {
        this.logsDir = dataDir.resolve("logs");
        Files.createDirectories(logsDir);
        int threads = broker.getInt("sluice.io.threads");
        this.writers = Executors.newFixedThreadPool(threads, named("sluice-log-writer"));
        this.readers = Executors.newFixedThreadPool(threads, named("sluice-log-reader"));
        this.background = Executors.newSingleThreadExecutor(named("sluice-log-flusher"));
        int maxOpen = broker.getInt("sluice.log.max.open.segments");
        this.env = new LogEnvironment(clock::wallMillis,
                new OpenSegments(maxOpen > 0 ? maxOpen : OpenSegments.capFor(openFileLimit())), background);
        this.cleaner = new LogCleanerService(broker, clock);
    }

    /** The process's open-file limit, or 0 where the JVM cannot tell (the cap is then the minimum). */
    private static long openFileLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return 0;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Executor for reads, kept apart so that a slow fsync never delays a consumer. */
    public ExecutorService readExecutor() {
        return readers;
    }

    public LogCleanerService cleaner() {
        return cleaner;
    }

    public OpenSegments openSegments() {
        return env.openSegments();
    }

    /** The directory holding every log directory and the files about all of them (checkpoints). */
    public Path logsDir() {
        return logsDir;
    }

    Path logDir(TopicPartition tp) {
        return logsDir.resolve(tp.topic() + "-" + tp.partition());
    }

    /**
     * Opens the log of {@code tp} for the topic with {@code topicId} and returns its writer,
     * draining on this node's writer threads; a directory left by an older topic of the same
     * name is deleted first. Blocking.
     */
    public LogWriter open(TopicPartition tp, String topicId, LogConfig config) throws IOException {
        Path dir = logDir(tp);
        String existing = readTopicId(dir);
        if (existing != null && !existing.equals(topicId)) {
            deleteRecursively(dir);
        }
        Files.createDirectories(dir);
        if (!topicId.equals(existing)) {
            // Not fsynced (two fsyncs a partition were most of the time it took to create 10,000):
            // an OS crash can only lose the file of a directory created since the last flush, and a
            // directory without one is taken for the topic the metadata names, as at its creation.
            // What the file guards against, a directory left by a deleted topic of the same name,
            // needs the old topic's file, which the kernel wrote out seconds after that topic's
            // creation, long before it could be deleted and created again.
            AtomicFiles.write(dir.resolve(PARTITION_METADATA),
                    ("version: 0\ntopic_id: " + topicId + "\n").getBytes(StandardCharsets.UTF_8), false);
        }
        return LogWriter.open(dir, config, env, writers);
    }

    private static String readTopicId(Path dir) throws IOException {
        try {
            // (Bytes, not readAllLines: its reader allocated 16 KB of buffers for a 60-byte file,
            // twice per partition at every start.)
            String content = new String(Files.readAllBytes(dir.resolve(PARTITION_METADATA)), StandardCharsets.UTF_8);
            for (String line : content.split("\n")) {
                if (line.startsWith("topic_id:")) {
                    return line.substring("topic_id:".length()).trim();
                }
            }
            return null;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Log directories present on disk, by partition, with the topic id each belongs to. */
    public List<StoredLog> storedLogs() throws IOException {
        List<StoredLog> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(logsDir)) {
            for (Path dir : ds) {
                String name = dir.getFileName().toString();
                int dash = name.lastIndexOf('-');
                if (!Files.isDirectory(dir) || dash <= 0) {
                    continue;
                }
                try {
                    int partition = Integer.parseInt(name.substring(dash + 1));
                    out.add(new StoredLog(new TopicPartition(name.substring(0, dash), partition), readTopicId(dir)));
                } catch (NumberFormatException ignored) {
                    // not a partition directory
                }
            }
        }
        return out;
    }

    /** A log directory found on disk. */
    public record StoredLog(TopicPartition tp, String topicId) {
    }

    /** Deletes the directory of a partition this node no longer holds. Blocking. */
    public void deleteLogDir(TopicPartition tp) throws IOException {
        deleteRecursively(logDir(tp));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Stops the threads; the logs must already be closed by their partitions. */
    public void close() {
        cleaner.close();
        writers.shutdown();
        readers.shutdown();
        background.shutdown();
        try {
            writers.awaitTermination(10, TimeUnit.SECONDS);
            readers.awaitTermination(10, TimeUnit.SECONDS);
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

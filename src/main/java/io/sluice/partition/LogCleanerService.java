package io.sluice.partition;

import io.sluice.common.Clock;
import io.sluice.config.BrokerSettings;
import io.sluice.log.LogWriter;
import io.sluice.log.cleaner.Cleaner;
import io.sluice.log.cleaner.OffsetMap;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs log compaction for every compacted log of the node on one background thread (Kafka's
 * {@code log.cleaner.threads=1}): every {@code log.cleaner.backoff.ms} it cleans the logs whose
 * dirty ratio reached their {@code min.cleanable.dirty.ratio}. Cleaning reads the logs through
 * their views and writes and fsyncs the cleaned segment files on this thread, the swap's fsyncs
 * included; each swap reaches a log through its {@link LogWriter}, whose turn it takes only to
 * reserve the segments, swap the list and release them (microseconds each, between appends), so
 * a partition's appends carry on while its log is cleaned.
 */
public final class LogCleanerService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LogCleanerService.class.getName());

    private final Set<LogWriter> logs = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread;
    private final Cleaner cleaner;
    private volatile long cleanings;

    /** {@code clock}: its wall time says when a tombstone has been kept for {@code delete.retention.ms}. */
    LogCleanerService(BrokerSettings broker, Clock clock) {
        this.cleaner = new Cleaner(new OffsetMap(broker.getLong("log.cleaner.dedupe.buffer.size")), clock::wallMillis);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-log-cleaner");
            t.setDaemon(true);
            return t;
        });
        if (broker.getBoolean("log.cleaner.enable")) {
            long backoff = broker.getLong("log.cleaner.backoff.ms");
            thread.scheduleWithFixedDelay(this::cleanDirtyLogs, backoff, Math.max(1, backoff), TimeUnit.MILLISECONDS);
        }
    }

    public void register(LogWriter log) {
        logs.add(log);
    }

    public void unregister(LogWriter log) {
        logs.remove(log);
    }

    /** Cleanings completed since start. */
    public long cleanings() {
        return cleanings;
    }

    private void cleanDirtyLogs() {
        for (LogWriter log : logs) {
            try {
                if (cleaner.needsCleaning(log.log()) && cleaner.clean(log) != null) {
                    cleanings++;
                }
            } catch (Exception e) {
                // A log closed or deleted under the cleaner, or a disk error; the next round retries.
                if (logs.contains(log)) {
                    LOG.log(System.Logger.Level.WARNING, "compaction of " + log.log().dir() + " failed: " + e);
                }
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

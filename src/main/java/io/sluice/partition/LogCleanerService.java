package io.sluice.partition;

import io.sluice.config.BrokerSettings;
import io.sluice.log.Log;
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
 * dirty ratio reached their {@code min.cleanable.dirty.ratio}. Cleaning reads and writes segment
 * files on this thread; only the final swap takes the log's lock, so appends carry on meanwhile.
 */
public final class LogCleanerService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LogCleanerService.class.getName());

    private final Set<Log> logs = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread;
    private final Cleaner cleaner;
    private volatile long cleanings;

    LogCleanerService(BrokerSettings broker) {
        this.cleaner = new Cleaner(new OffsetMap(broker.getLong("log.cleaner.dedupe.buffer.size")), System::currentTimeMillis);
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

    public void register(Log log) {
        logs.add(log);
    }

    public void unregister(Log log) {
        logs.remove(log);
    }

    /** Cleanings completed since start. */
    public long cleanings() {
        return cleanings;
    }

    private void cleanDirtyLogs() {
        for (Log log : logs) {
            try {
                if (Cleaner.needsCleaning(log) && cleaner.clean(log) != null) {
                    cleanings++;
                }
            } catch (Exception e) {
                // A log closed or deleted under the cleaner, or a disk error; the next round retries.
                if (logs.contains(log)) {
                    LOG.log(System.Logger.Level.WARNING, "compaction of " + log.dir() + " failed: " + e);
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

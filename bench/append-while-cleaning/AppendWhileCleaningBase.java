import io.sluice.log.LogAppendInfo;
import io.sluice.log.LogConfig;
import io.sluice.log.LogEnvironment;
import io.sluice.log.Log;
import io.sluice.log.LogWriter;
import io.sluice.log.OpenSegments;
import io.sluice.log.cleaner.Cleaner;
import io.sluice.log.cleaner.OffsetMap;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Append latency of one compacted log while its cleaner runs back to back, at the storage level
 * (no HTTP, no event bus: what is left is the log's own locks and threads). One thread appends
 * as a partition's event loop does (an inline append when the writer is idle, else through the
 * writer, waiting for its answer), one keyed record at a time, open loop at RATE/s; another
 * cleans the log as soon as a segment rolls (checking every 10 ms when there was nothing to
 * clean). Prints RESULT lines: append latency percentiles after a warm-up, and the cleanings
 * done. The same as AppendWhileCleaning.java, for the API of a7d9f6f (before the LogWriter
 * became the only door: the cleaner swapped segments through Log.replaceSegments, under the log's
 * monitor).
 *
 * Run: java -cp BASE/target/sluice.jar bench/append-while-cleaning/AppendWhileCleaningBase.java SEGMENT_BYTES SECONDS RATE KEYS
 */
public class AppendWhileCleaningBase {
    private static final long WARMUP_S = 5;
    private static final long BACKOFF_MS = 10;

    public static void main(String[] args) throws Exception {
        int segmentBytes = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        int rate = Integer.parseInt(args[2]);
        int keys = Integer.parseInt(args[3]);
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "append-while-cleaning");
        LogConfig config = LogConfig.builder().segmentBytes(segmentBytes).cleanupPolicy(false, true)
                .minCleanableDirtyRatio(0.01).build();
        ExecutorService flusher = Executors.newSingleThreadExecutor();
        ExecutorService writerThread = Executors.newSingleThreadExecutor();
        LogEnvironment env = new LogEnvironment(System::currentTimeMillis, new OpenSegments(1000), flusher);
        Log log = Log.open(dir, config, env);
        LogWriter writer = new LogWriter(log, writerThread);
        RecordBatchBuilder first = new RecordBatchBuilder(64);
        first.append(System.currentTimeMillis(), null, new byte[1], List.of());
        writer.appendAsLeader(first.build(), 0).join(); // (opens epoch 0, as a leader's first append did then)

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong cleanings = new AtomicLong();
        Thread cleaner = new Thread(() -> {
            Cleaner c = new Cleaner(new OffsetMap(1 << 20), System::currentTimeMillis);
            while (!stop.get()) {
                try {
                    if (Cleaner.needsCleaning(log) && c.clean(log) != null) {
                        cleanings.incrementAndGet();
                        continue;
                    }
                } catch (Exception e) {
                    // (a segment retired under the cleaner's reads: the next pass retries)
                }
                // Nothing to clean: back off as log.cleaner.backoff.ms does, instead of spinning a core.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(BACKOFF_MS));
            }
        }, "cleaner");
        cleaner.start();

        Histogram latency = new Histogram(1_000, 60_000_000_000L, 3);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        // The first WARMUP_S seconds are not counted: both sides' JIT compilers are at work then.
        long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARMUP_S);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        long due = System.nanoTime();
        byte[] value = new byte[100];
        for (long n = 0; System.nanoTime() < end; n++) {
            due += interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            RecordBatchBuilder b = new RecordBatchBuilder(256);
            b.append(System.currentTimeMillis(), ("k" + n % keys).getBytes(StandardCharsets.UTF_8), value, List.of());
            RecordBatch batch = b.build();
            List<LogAppendInfo> inline = writer.tryAppendInline(List.of(batch), 0);
            if (inline == null) {
                writer.appendAsLeader(batch, 0).join();
            }
            // Open loop: from when the append was due, so that a stall also counts for those behind it.
            if (due >= measureFrom) {
                latency.recordValue(Math.max(1_000, System.nanoTime() - due));
            }
        }
        stop.set(true);
        cleaner.join();
        log.close();
        writerThread.shutdown();
        flusher.shutdown();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        System.out.printf("RESULT append.count %d%n", latency.getTotalCount());
        for (double p : new double[] {50, 90, 99, 99.9}) {
            System.out.printf("RESULT append.p%s_ms %.3f%n", p == 99.9 ? "999" : Integer.toString((int) p),
                    latency.getValueAtPercentile(p) / 1e6);
        }
        System.out.printf("RESULT append.max_ms %.3f%n", latency.getMaxValue() / 1e6);
        System.out.printf("RESULT cleanings %d%n", cleanings.get());
    }
}

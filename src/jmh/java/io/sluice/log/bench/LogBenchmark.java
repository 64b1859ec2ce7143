package io.sluice.log.bench;

import io.sluice.log.LogConfig;
import io.sluice.log.LogEnvironment;
import io.sluice.log.LogReadResult;
import io.sluice.log.LogWriter;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Throughput of the storage engine alone, on this machine's disk: appends of 100-byte records in
 * batches of 500 (no fsync, and fsync per batch), sequential reads from the page cache that
 * decode every record, and 1 MiB batches to compare with {@code dd}. Scores are per record
 * (per MiB for the 1 MiB benchmarks) thanks to {@link OperationsPerInvocation}.
 * Run with {@code bench/log-bench.sh}. The log is driven through its {@link LogWriter}, the only
 * door to it, draining on the benchmark's thread: each append is one call into the log, as a
 * writer's group of one.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class LogBenchmark {
    static final int RECORDS = 500;
    static final int RECORD_BYTES = 100;

    static Path benchDir() throws IOException {
        Path base = Path.of(System.getProperty("sluice.bench.dir", "target/bench-data"));
        Files.createDirectories(base);
        return Files.createTempDirectory(base, "log");
    }

    static void deleteDir(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static RecordBatch batch(int records, int recordBytes) {
        RecordBatchBuilder b = new RecordBatchBuilder(records * (recordBytes + 16) + 64);
        byte[] value = new byte[recordBytes];
        long now = System.currentTimeMillis();
        for (int i = 0; i < records; i++) {
            value[0] = (byte) i;
            b.append(now, null, value, List.of());
        }
        return b.build();
    }

    /** A fresh log per iteration, so that every iteration appends to the same kind of file. */
    @State(Scope.Thread)
    public static class Appending {
        LogWriter log;
        Path dir;
        RecordBatch batch100;
        RecordBatch batch1MiB;

        LogConfig config() {
            return LogConfig.builder().maxMessageBytes(4 << 20).build();
        }

        @Setup(Level.Iteration)
        public void open() throws IOException {
            dir = benchDir();
            log = LogWriter.open(dir, config(), LogEnvironment.defaults(), Runnable::run);
            batch100 = batch(RECORDS, RECORD_BYTES);
            batch1MiB = batch(1024, 1024 - 9);
        }

        @TearDown(Level.Iteration)
        public void close() throws IOException {
            log.close().join();
            deleteDir(dir);
        }
    }

    /** Same, with {@code flush.messages=1}: every append is fsynced before it returns. */
    @State(Scope.Thread)
    public static class AppendingDurably extends Appending {
        @Override
        LogConfig config() {
            return LogConfig.builder().maxMessageBytes(4 << 20).flushMessages(1).build();
        }
    }

    /** A log of 2,000,000 records, read over and over from the page cache. */
    @State(Scope.Thread)
    public static class Reading {
        static final long TOTAL = 2_000_000;
        LogWriter writer;
        io.sluice.log.LogView log;
        Path dir;
        long offset;

        @Setup(Level.Trial)
        public void fill() throws IOException {
            dir = benchDir();
            writer = LogWriter.open(dir, LogConfig.DEFAULT, LogEnvironment.defaults(), Runnable::run);
            log = writer.log();
            for (long n = 0; n < TOTAL; n += RECORDS) {
                writer.appendAsLeader(batch(RECORDS, RECORD_BYTES), 0).join();
            }
            writer.flush().join();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            writer.close().join();
            deleteDir(dir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public Object append100ByteRecords(Appending s) {
        return s.log.appendAsLeader(s.batch100, 0).join();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public Object append100ByteRecordsFsyncPerBatch(AppendingDurably s) {
        return s.log.appendAsLeader(s.batch100, 0).join();
    }

    /** Score in MiB/s: one operation appends one 1 MiB batch. */
    @Benchmark
    public Object append1MiBBatches(Appending s) {
        return s.log.appendAsLeader(s.batch1MiB, 0).join();
    }

    /** Score in MiB/s, each batch fsynced. */
    @Benchmark
    public Object append1MiBBatchesFsync(AppendingDurably s) {
        return s.log.appendAsLeader(s.batch1MiB, 0).join();
    }

    static final int READ_CHUNK = 10_000;

    /**
     * Reads 1 MiB at a time and decodes every record (offset, timestamp, key and value
     * positions); score in records/s.
     */
    @Benchmark
    @OperationsPerInvocation(READ_CHUNK)
    public void readFromPageCache(Reading s, Blackhole bh) {
        int[] seen = {0};
        while (seen[0] < READ_CHUNK) {
            if (s.offset >= s.log.logEndOffset()) {
                s.offset = s.log.logStartOffset();
            }
            LogReadResult r = s.log.read(s.offset, 1 << 20, Long.MAX_VALUE, true);
            s.offset = r.forEachRecord(READ_CHUNK - seen[0], c -> {
                bh.consume(c.valueSize());
                seen[0]++;
            });
        }
    }
}

package io.sluice.log;

import io.sluice.record.RecordBatchBuilder;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Child process of {@link LogCrashTest}: appends numbered records with fsync per append from
 * several threads through a {@link LogWriter} and prints {@code ACK <offset> <value>} for every
 * append the log confirmed, until it is killed.
 */
public final class LogCrashChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        LogConfig config = LogConfig.builder().segmentBytes(64 * 1024).flushMessages(1).build();
        Log log = Log.open(dir, config, LogEnvironment.defaults());
        ExecutorService io = Executors.newSingleThreadExecutor();
        LogWriter writer = new LogWriter(log, io);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.println("READY " + log.view().logEndOffset());
        out.flush();
        CompletableFuture<?>[] workers = new CompletableFuture<?>[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = CompletableFuture.runAsync(() -> {
                for (long n = 0; ; n++) {
                    String value = "t" + id + "-" + n;
                    RecordBatchBuilder b = new RecordBatchBuilder(128);
                    b.append(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8), List.of());
                    LogAppendInfo info = writer.appendAsLeader(b.build(), 0).join();
                    synchronized (out) {
                        out.println("ACK " + info.firstOffset() + " " + value);
                        out.flush();
                    }
                }
            }, Executors.newSingleThreadExecutor());
        }
        CompletableFuture.allOf(workers).join();
    }
}

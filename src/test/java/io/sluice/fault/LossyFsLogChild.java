package io.sluice.fault;

import io.sluice.log.LogView;
import io.sluice.log.LogConfig;
import io.sluice.log.LogTestSupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The node of {@link LossyFsTest}'s log tests, in its own JVM so that it can die as a node does
 * (SIGKILL) with its files open. Arguments: directory, segment bytes, records to append, the count
 * after which to flush once, and the clock/timestamp to use. Appends records whose values are
 * {@code v<offset>} padded to 100 bytes, prints {@code APPENDED <recoveryPoint> <logEnd>
 * <segments>}, then serves commands from stdin: {@code flush} answers {@code FLUSHED} or
 * {@code FLUSH-FAILED <message>}. It never closes the log: the parent kills it.
 */
public final class LossyFsLogChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int segmentBytes = Integer.parseInt(args[1]);
        int records = Integer.parseInt(args[2]);
        int flushAfter = Integer.parseInt(args[3]);
        long now = Long.parseLong(args[4]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        LogConfig config = LogConfig.builder().segmentBytes(segmentBytes).build(); // no fsync but flush() and rolls
        LogTestSupport.OpenLog open = LogTestSupport.OpenLog.open(dir, config, LogTestSupport.env(new LogTestSupport.ManualClock(now)));
        LogView log = open.log();
        for (int i = 0; i < records; i++) {
            open.append(LogTestSupport.sized(now, i, 1, 100), 0);
            if (i + 1 == flushAfter) {
                open.writer().flush().join();
            }
        }
        out.println("APPENDED " + log.recoveryPoint() + " " + log.logEndOffset() + " " + log.segmentCount());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("flush")) {
                try {
                    open.writer().flush().join();
                    out.println("FLUSHED");
                } catch (RuntimeException e) {
                    out.println("FLUSH-FAILED " + e.getMessage().replace('\n', ' '));
                }
            }
        }
    }
}

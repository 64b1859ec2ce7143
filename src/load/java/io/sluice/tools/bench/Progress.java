package io.sluice.tools.bench;

import java.util.List;
import java.util.Locale;

/**
 * Prints one line a second on stderr while a workload runs: for each meter the records so
 * far, the rate over the last second, and errors. A daemon thread, so it costs the event loops
 * nothing and never keeps the JVM alive.
 */
final class Progress {
    private final Thread thread;

    Progress(String workload, List<Meter> meters) {
        long start = System.nanoTime();
        thread = new Thread(() -> {
            long[] last = new long[meters.size()];
            try {
                while (true) {
                    Thread.sleep(1000);
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%s %5.1fs]", workload,
                            (System.nanoTime() - start) / 1e9));
                    for (int i = 0; i < meters.size(); i++) {
                        Meter m = meters.get(i);
                        long n = m.records();
                        line.append(String.format(Locale.ROOT, "  %s %,d (%,d/s)", m.name, n, n - last[i]));
                        if (m.errors() > 0) {
                            line.append(String.format(Locale.ROOT, " errors %,d", m.errors()));
                        }
                        last[i] = n;
                    }
                    System.err.println(line);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-progress");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        thread.interrupt();
    }
}

package io.sluice.tools.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one run, printed at the end as {@code RESULT <workload>.<metric> <value>}
 * lines (the same shape as the NATS anchor's) so that scripts can grep them.
 */
final class Results {
    static final double MIB = 1024.0 * 1024.0;

    private final String workload;
    private final Map<String, String> values = new LinkedHashMap<>();
    private boolean failed;

    Results(String workload) {
        this.workload = workload;
    }

    void put(String metric, long value) {
        values.put(metric, Long.toString(value));
    }

    void put(String metric, double value, int decimals) {
        values.put(metric, String.format(Locale.ROOT, "%." + decimals + "f", value));
    }

    void put(String metric, String value) {
        values.put(metric, value);
    }

    /** Throughput of {@code records} of {@code recordSize} payload bytes over {@code nanos}. */
    void rate(String prefix, long records, int recordSize, long nanos) {
        double secs = Math.max(1, nanos) / 1e9;
        put(prefix + "records_per_s", records / secs, 0);
        put(prefix + "MiB_per_s", records * (double) recordSize / MIB / secs, 2);
        put(prefix + "seconds", secs, 3);
    }

    /** Records the meter's count and errors; a meter with errors fails the run. */
    void meter(String prefix, Meter m) {
        put(prefix + "records", m.records());
        put(prefix + "errors", m.errors());
        if (m.errors() > 0) {
            fail(m.name + ": " + m.errors() + " errors, first: " + m.firstError());
        }
    }

    void fail(String why) {
        failed = true;
        System.out.println("FAIL " + workload + ": " + why);
    }

    /** A recorded value, or null. */
    String get(String metric) {
        return values.get(metric);
    }

    boolean failed() {
        return failed;
    }

    void print() {
        values.forEach((k, v) -> System.out.println("RESULT " + workload + "." + k + " " + v));
    }
}

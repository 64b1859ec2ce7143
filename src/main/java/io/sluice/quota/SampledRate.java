package io.sluice.quota;

/**
 * A rate measured over a sliding window of samples, with the semantics of Kafka's
 * {@code Rate} over a {@code SampledStat} (what its client quotas are enforced on): {@code samples}
 * samples of {@code sampleWindowMs} each; a value recorded goes into the current sample, and a new
 * sample starts (replacing the oldest) once the current one is {@code sampleWindowMs} old; samples
 * older than the whole window count for nothing. The rate is the sum of the samples over the time
 * they span, taken as at least {@code samples - 1} full sample windows, so that the first requests
 * after a quiet time are measured over a whole window rather than over a few milliseconds (Kafka's
 * rule: a client starting up is not throttled for its very first burst).
 *
 * <p>Not thread-safe: its owner ({@link ClientQuotaManager}) serialises access.
 */
public final class SampledRate {
    private final int samples;
    private final long sampleWindowMs;
    private final long[] starts;
    private final double[] values;
    private int current;

    public SampledRate(int samples, long sampleWindowMs, long nowMs) {
        if (samples < 2 || sampleWindowMs < 1) {
            throw new IllegalArgumentException("a sampled rate needs at least 2 samples of at least 1 ms");
        }
        this.samples = samples;
        this.sampleWindowMs = sampleWindowMs;
        this.starts = new long[samples];
        this.values = new double[samples];
        java.util.Arrays.fill(starts, nowMs);
    }

    public void record(double value, long nowMs) {
        if (nowMs - starts[current] >= sampleWindowMs) {
            current = (current + 1) % samples;
            starts[current] = nowMs;
            values[current] = 0;
        }
        values[current] += value;
    }

    /** Per second, over the window as of {@code nowMs}. */
    public double rate(long nowMs) {
        purgeObsolete(nowMs);
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total / (windowSizeMs(nowMs) / 1000.0);
    }

    /** The time the samples span as of {@code nowMs}: never less than {@code samples - 1} sample windows. */
    public long windowSizeMs(long nowMs) {
        purgeObsolete(nowMs);
        long oldest = starts[0];
        for (long s : starts) {
            oldest = Math.min(oldest, s);
        }
        long elapsed = Math.max(0, nowMs - oldest);
        long fullWindows = elapsed / sampleWindowMs;
        long minFullWindows = samples - 1L;
        if (fullWindows < minFullWindows) {
            elapsed += (minFullWindows - fullWindows) * sampleWindowMs;
        }
        return elapsed;
    }

    /** The span of the whole window: what no sample outlives. */
    public long maxWindowMs() {
        return samples * sampleWindowMs;
    }

    private void purgeObsolete(long nowMs) {
        long expireAge = samples * sampleWindowMs;
        for (int i = 0; i < samples; i++) {
            if (nowMs - starts[i] >= expireAge) {
                starts[i] = nowMs;
                values[i] = 0;
            }
        }
    }
}

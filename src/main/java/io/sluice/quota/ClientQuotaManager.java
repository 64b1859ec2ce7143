package io.sluice.quota;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sluice.security.Principal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One kind of client quota ({@link QuotaType}) on a node, as Kafka's {@code ClientQuotaManager}:
 * finds the quota that applies to a principal and client id, measures what they use on a
 * {@link SampledRate} (a "sensor") per quota entity, and says how long to throttle them when over.
 *
 * <p>Which quota applies, in Kafka's order of precedence: an override for the principal and the
 * client id, one for the principal, one for the client id, else the default, which applies to each
 * principal and client id pair on its own (Kafka's {@code <default>} user and client). Usage is
 * measured per entity that matched: all clients of {@code User:alice} share a principal override.
 *
 * <p>Throttle time, Kafka's formula: {@code (observed - quota) / quota × window} (the time it takes
 * for the observed rate over the window to fall back to the quota), at most the whole window.
 *
 * <p>Each sensor has meters ({@code sluice.quota.rate}, {@code sluice.quota.limit},
 * {@code sluice.quota.throttle.time}) tagged with the quota, principal and client id; a sensor
 * nobody recorded on for {@link QuotaSettings#sensorExpiryMs} is dropped with its meters, as Kafka
 * expires its quota sensors, which keeps both the map and the metrics' cardinality bounded.
 *
 * <p>With no quota of its type configured, {@link #enabled} is false and callers skip it: the hot
 * path pays one field read. Thread-safe: sensors are shared by every event loop of the node.
 */
public final class ClientQuotaManager {
    private final QuotaType type;
    private final boolean enabled;
    private final Double defaultQuota;
    private final Map<QuotaEntity, Double> overrides = new HashMap<>();
    private final int samples;
    private final long sampleWindowMs;
    private final long expiryMs;
    private final MeterRegistry registry;
    private final LongSupplier nowMs;
    private final Map<Key, Sensor> sensors = new ConcurrentHashMap<>();

    /** Whom a sensor measures: a principal, a client id ("" for none), or both. */
    record Key(Principal user, String clientId) {
    }

    private record Bound(Key key, double quota) {
    }

    /** The usage of one quota entity, and its meters. */
    private final class Sensor {
        final SampledRate rate;
        final double quota;
        final DistributionSummary throttle;
        final List<Meter> meters = new ArrayList<>();
        long lastRecordMs;

        Sensor(Key key, double quota, long now) {
            this.rate = new SampledRate(samples, sampleWindowMs, now);
            this.quota = quota;
            this.lastRecordMs = now;
            Tags tags = Tags.of("quota", type.key(), "user", key.user() == null ? "" : key.user().toString(),
                    "client_id", key.clientId());
            meters.add(Gauge.builder("sluice.quota.rate", this, Sensor::rateNow).tags(tags).strongReference(true)
                    .description("Measured rate of the quota's entity over the quota window (bytes or requests per second)")
                    .register(registry));
            meters.add(Gauge.builder("sluice.quota.limit", () -> quota).tags(tags).strongReference(true)
                    .description("The quota that applies to the entity (bytes or requests per second)").register(registry));
            this.throttle = DistributionSummary.builder("sluice.quota.throttle.time").tags(tags).baseUnit("milliseconds")
                    .description("Time requests of the entity were throttled for (0 when within quota)").register(registry);
            meters.add(throttle);
        }

        synchronized double rateNow() {
            return rate.rate(nowMs.getAsLong());
        }

        synchronized long record(double value, long now) {
            rate.record(value, now);
            lastRecordMs = now;
            return throttleMs(now);
        }

        synchronized long throttleMs(long now) {
            double observed = rate.rate(now);
            if (observed <= quota) {
                return 0;
            }
            return Math.round((observed - quota) / quota * rate.windowSizeMs(now));
        }
    }

    public ClientQuotaManager(QuotaType type, QuotaSettings settings, MeterRegistry registry, LongSupplier nowMs) {
        this.type = type;
        this.enabled = settings.limits(type);
        this.defaultQuota = settings.defaults().get(type);
        settings.overrides().forEach((entity, quotas) -> {
            Double q = quotas.get(type);
            if (q != null) {
                overrides.put(entity, q);
            }
        });
        this.samples = settings.windowSamples();
        this.sampleWindowMs = settings.sampleWindowMs();
        this.expiryMs = settings.sensorExpiryMs();
        this.registry = registry;
        this.nowMs = nowMs;
    }

    public QuotaType type() {
        return type;
    }

    /** Whether any quota of this type is configured: when not, nothing else needs calling. */
    public boolean enabled() {
        return enabled;
    }

    /** The longest a request is throttled for: the whole window. */
    public long maxThrottleMs() {
        return samples * sampleWindowMs;
    }

    /**
     * Records {@code value} (bytes, or 1 request) used by {@code user} with {@code clientId} (null
     * for none) and answers how long to throttle them for (0: within quota), at most
     * {@link #maxThrottleMs}.
     */
    public long record(Principal user, String clientId, double value, long now) {
        Bound bound = bound(user, clientId);
        if (bound == null) {
            return 0;
        }
        Sensor sensor = sensors.computeIfAbsent(bound.key(), k -> new Sensor(k, bound.quota(), now));
        long throttle = Math.min(sensor.record(value, now), maxThrottleMs());
        sensor.throttle.record(throttle);
        return throttle;
    }

    /**
     * How long {@code user} with {@code clientId} is over quota as of now, before anything more is
     * recorded: more than {@link #maxThrottleMs} means a delay cannot bring it back (a single
     * request far above the quota), and the next request is refused rather than delayed.
     */
    public long throttleMs(Principal user, String clientId, long now) {
        Bound bound = bound(user, clientId);
        Sensor sensor = bound == null ? null : sensors.get(bound.key());
        return sensor == null ? 0 : sensor.throttleMs(now);
    }

    /** Drops the sensors (and their meters) of entities idle for longer than the expiry; answers how many. */
    public int expire(long now) {
        int dropped = 0;
        for (Map.Entry<Key, Sensor> e : sensors.entrySet()) {
            Sensor s = e.getValue();
            boolean idle;
            synchronized (s) {
                idle = now - s.lastRecordMs > expiryMs;
            }
            if (idle && sensors.remove(e.getKey(), s)) {
                s.meters.forEach(registry::remove);
                dropped++;
            }
        }
        return dropped;
    }

    /** The number of entities measured now. */
    public int sensorCount() {
        return sensors.size();
    }

    /** The quota that applies to {@code user} and {@code clientId}, and the key it is measured under; null when none. */
    private Bound bound(Principal user, String clientId) {
        if (!enabled) {
            return null;
        }
        String client = clientId == null ? "" : clientId;
        Double q;
        if (!client.isEmpty() && (q = overrides.get(new QuotaEntity(user, client))) != null) {
            return new Bound(new Key(user, client), q);
        }
        if ((q = overrides.get(new QuotaEntity(user, null))) != null) {
            return new Bound(new Key(user, ""), q);
        }
        if (!client.isEmpty() && (q = overrides.get(new QuotaEntity(null, client))) != null) {
            return new Bound(new Key(null, client), q);
        }
        return defaultQuota == null ? null : new Bound(new Key(user, client), defaultQuota);
    }
}

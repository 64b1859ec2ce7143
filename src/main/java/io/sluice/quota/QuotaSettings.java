package io.sluice.quota;

import io.sluice.config.BrokerSettings;
import io.sluice.config.ConfigException;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The quota settings of a node, parsed and checked once at start: the default of each
 * {@link QuotaType} ({@code quota.producer.byte.rate}, {@code quota.consumer.byte.rate},
 * {@code quota.request.rate}; -1, unlimited, by default as in Kafka), the overrides per principal
 * and client id ({@code quota.overrides}), the window rates are measured over ({@code
 * quota.window.num} samples of {@code quota.window.size.seconds}, Kafka's 11 × 1 s), how long an
 * idle client's measurements are kept ({@code sluice.quota.sensor.expiry.ms}, Kafka's hour), and the
 * connection limits ({@code max.connections.per.ip}, {@code max.connections.per.principal}).
 *
 * @param defaults  per type, the default quota; a type without one is unlimited by default
 * @param overrides per entity, the quotas that replace the defaults
 */
public record QuotaSettings(Map<QuotaType, Double> defaults, Map<QuotaEntity, Map<QuotaType, Double>> overrides,
                            int windowSamples, long sampleWindowMs, long sensorExpiryMs,
                            int maxConnectionsPerIp, int maxConnectionsPerPrincipal) {
    public static final String OVERRIDES = "quota.overrides";

    public static QuotaSettings of(BrokerSettings broker) {
        Map<QuotaType, Double> defaults = new EnumMap<>(QuotaType.class);
        for (QuotaType t : QuotaType.values()) {
            long v = broker.getLong(t.setting());
            if (v >= 0) {
                defaults.put(t, (double) v);
            }
        }
        return new QuotaSettings(defaults, overrides(broker.getString(OVERRIDES)), broker.getInt("quota.window.num"),
                broker.getInt("quota.window.size.seconds") * 1000L, broker.getLong("sluice.quota.sensor.expiry.ms"),
                broker.getInt("max.connections.per.ip"), broker.getInt("max.connections.per.principal"));
    }

    /** No quota at all: what a node without quota settings has. */
    public static QuotaSettings unlimited() {
        return new QuotaSettings(Map.of(), Map.of(), 11, 1000, 3_600_000, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * Parses {@code User:alice:producer_byte_rate=1048576,request_rate=50;client-id:app:consumer_byte_rate=2097152}:
     * entries separated by {@code ;}, each an entity ({@link QuotaEntity}), a colon, and quotas.
     */
    static Map<QuotaEntity, Map<QuotaType, Double>> overrides(String value) {
        Map<QuotaEntity, Map<QuotaType, Double>> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        for (String entry : value.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                // (The entity ends where the first quota name starts: a principal's name may hold ':', '=' and ','.)
                int colon = -1;
                for (QuotaType t : QuotaType.values()) {
                    int at = entry.indexOf(":" + t.key() + "=");
                    if (at > 0 && (colon < 0 || at < colon)) {
                        colon = at;
                    }
                }
                if (colon <= 0) {
                    throw new IllegalArgumentException("expected <entity>:<quota>=<value> with a quota among producer_byte_rate,"
                            + " consumer_byte_rate and request_rate");
                }
                QuotaEntity entity = QuotaEntity.parse(entry.substring(0, colon).trim());
                Map<QuotaType, Double> quotas = out.computeIfAbsent(entity, e -> new EnumMap<>(QuotaType.class));
                for (String q : entry.substring(colon + 1).split(",")) {
                    String[] kv = q.split("=", 2);
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("expected <quota>=<value>, got '" + q.trim() + "'");
                    }
                    double rate = Double.parseDouble(kv[1].trim());
                    if (!(rate > 0) || Double.isInfinite(rate)) {
                        throw new IllegalArgumentException("a quota is a positive number, got '" + kv[1].trim() + "'");
                    }
                    quotas.put(QuotaType.ofKey(kv[0].trim()), rate);
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(OVERRIDES, OVERRIDES + ": entry '" + entry.trim() + "': " + e.getMessage()
                        + " (such as User:alice:producer_byte_rate=1048576,request_rate=50)");
            }
        }
        return out;
    }

    /** Whether any quota of {@code type} applies to anyone. */
    public boolean limits(QuotaType type) {
        return defaults.containsKey(type) || overrides.values().stream().anyMatch(q -> q.containsKey(type));
    }
}

package io.sluice.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Sluice's own meters, next to the Vert.x ones (HTTP request latencies, connections, sockets)
 * in the same Prometheus registry, one registry per node: records and bytes produced and fetched
 * per topic, open sessions, and per-partition gauges registered by whoever owns the figure.
 */
public final class SluiceMetrics {
    private final PrometheusMeterRegistry registry;
    private final Map<String, TopicMeters> topics = new ConcurrentHashMap<>();

    private record TopicMeters(Counter producedRecords, Counter producedBytes, Counter fetchedRecords,
                               Counter fetchedBytes) {
    }

    public SluiceMetrics() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private TopicMeters topic(String topic) {
        return topics.computeIfAbsent(topic, t -> new TopicMeters(
                Counter.builder("sluice.produce.records").description("Records appended to the topic").tag("topic", t).register(registry),
                Counter.builder("sluice.produce.bytes").description("Key and value bytes appended to the topic").tag("topic", t)
                        .baseUnit("bytes").register(registry),
                Counter.builder("sluice.fetch.records").description("Records delivered to consumers").tag("topic", t).register(registry),
                Counter.builder("sluice.fetch.bytes").description("Bytes delivered to consumers").tag("topic", t)
                        .baseUnit("bytes").register(registry)));
    }

    public void produced(String topic, long records, long bytes) {
        TopicMeters m = topic(topic);
        m.producedRecords.increment(records);
        m.producedBytes.increment(bytes);
    }

    public void fetched(String topic, long records, long bytes) {
        TopicMeters m = topic(topic);
        m.fetchedRecords.increment(records);
        m.fetchedBytes.increment(bytes);
    }

    /** Registers a gauge read from {@code source} (held weakly by Micrometer: keep it referenced). */
    public <T> void gauge(String name, String description, Tags tags, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).tags(tags).register(registry);
    }

    /** Removes the gauges and counters carrying {@code tags} (a partition that left the node). */
    public void remove(String name, Tags tags) {
        registry.find(name).tags(tags).meters().forEach(registry::remove);
    }

    /** Registers a gauge from a supplier that the registry keeps alive. */
    public void gauge(String name, String description, Tags tags, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).tags(tags).strongReference(true).register(registry);
    }

    public MeterRegistry meters() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}

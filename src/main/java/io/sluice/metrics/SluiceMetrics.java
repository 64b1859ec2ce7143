package io.sluice.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.common.Clock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Sluice's own meters, next to the Vert.x ones (pools, event bus, JVM) in the same Prometheus
 * registry, one registry per node: records and bytes produced and fetched per topic, the HTTP
 * front end's ({@link HttpServerMetrics}), and per-partition gauges registered by whoever owns
 * the figure.
 */
public final class SluiceMetrics {
    private final PrometheusMeterRegistry registry;
    private final Map<String, TopicMeters> topics = new ConcurrentHashMap<>();
    private final HttpServerMetrics http;

    private record TopicMeters(Counter producedRecords, Counter producedBytes, Counter fetchedRecords,
                               Counter fetchedBytes) {
    }

    /** {@code clock} times HTTP requests. */
    public SluiceMetrics(Clock clock) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.http = new HttpServerMetrics(registry, clock);
    }

    /** The HTTP front end's meters (per-route response times, connections, sockets). */
    public HttpServerMetrics http() {
        return http;
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

    private final Map<String, Counter> schemaValidated = new ConcurrentHashMap<>();
    private final Map<String, Counter> schemaRefused = new ConcurrentHashMap<>();

    /** {@code records} of a produce request to {@code topic} passed its schema validation. */
    public void schemaValidated(String topic, long records) {
        schemaValidated.computeIfAbsent(topic, t -> Counter.builder("sluice.schema.validation.records")
                .description("Records that passed the topic's schema validation on produce").tag("topic", t)
                .register(registry)).increment(records);
    }

    /** A produce request to {@code topic} was refused (422) because a record broke the topic's schema rules. */
    public void schemaRefused(String topic) {
        schemaRefused.computeIfAbsent(topic, t -> Counter.builder("sluice.schema.validation.failures")
                .description("Produce requests refused because a record broke the topic's schema rules").tag("topic", t)
                .register(registry)).increment();
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

    private final Map<String, java.util.concurrent.atomic.AtomicLong> lags = new ConcurrentHashMap<>();

    /** Sets the lag gauge of a group on a partition ({@code sluice_consumer_group_lag}). */
    public void groupLag(String group, io.sluice.bus.TopicPartition tp, long lag) {
        String key = group + "\u0000" + tp.topic() + "\u0000" + tp.partition();
        lags.computeIfAbsent(key, k -> {
            java.util.concurrent.atomic.AtomicLong v = new java.util.concurrent.atomic.AtomicLong();
            Gauge.builder("sluice.consumer.group.lag", v, java.util.concurrent.atomic.AtomicLong::get)
                    .description("Records between a group's committed offset and the partition's high watermark")
                    .tags("group", group, "topic", tp.topic(), "partition", Integer.toString(tp.partition()))
                    .register(registry);
            return v;
        }).set(lag);
    }

    /** Removes every lag gauge of a deleted group. */
    public void removeGroupLag(String group) {
        lags.keySet().removeIf(k -> k.startsWith(group + "\u0000"));
        registry.find("sluice.consumer.group.lag").tag("group", group).meters().forEach(registry::remove);
    }

    public MeterRegistry meters() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}

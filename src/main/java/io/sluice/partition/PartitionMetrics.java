package io.sluice.partition;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sluice.bus.TopicPartition;

import java.util.ArrayList;
import java.util.List;

/**
 * The meters of one local partition replica, read from its log and verticle at scrape time:
 * log start and end offsets, high watermark, size on disk, fsyncs and rolled segments.
 * Registered when the replica starts, removed when it stops.
 */
final class PartitionMetrics {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    PartitionMetrics(MeterRegistry registry, TopicPartition tp, PartitionVerticle replica) {
        this.registry = registry;
        Tags tags = Tags.of("topic", tp.topic(), "partition", Integer.toString(tp.partition()));
        meters.add(Gauge.builder("sluice.partition.log.start.offset", replica, r -> r.log().logStartOffset())
                .tags(tags).description("First offset readers may ask for").register(registry));
        meters.add(Gauge.builder("sluice.partition.log.end.offset", replica, r -> r.log().logEndOffset())
                .tags(tags).description("Offset the next record will get").register(registry));
        meters.add(Gauge.builder("sluice.partition.high.watermark", replica, PartitionVerticle::highWatermark)
                .tags(tags).description("Offset below which records are committed and visible to consumers")
                .register(registry));
        meters.add(Gauge.builder("sluice.partition.log.size", replica, r -> r.log().size())
                .tags(tags).baseUnit("bytes").description("Bytes in the partition's segments").register(registry));
        meters.add(FunctionCounter.builder("sluice.partition.log.writes", replica, r -> r.log().stats().writes())
                .tags(tags).description("Writes to the active segment; each may hold the batches of several produce requests")
                .register(registry));
        meters.add(FunctionCounter.builder("sluice.partition.log.batches", replica, r -> r.log().stats().appendedBatches())
                .tags(tags).description("Record batches appended (batches per write: how much the leader groups)")
                .register(registry));
        meters.add(FunctionCounter.builder("sluice.partition.log.fsyncs", replica, r -> r.log().stats().fsyncs())
                .tags(tags).description("Flushes of the partition's log to disk").register(registry));
        meters.add(FunctionCounter.builder("sluice.partition.log.rolls", replica, r -> r.log().stats().rolls())
                .tags(tags).description("Segments rolled").register(registry));
        meters.add(FunctionCounter.builder("sluice.partition.consumer.fetches", replica, PartitionVerticle::consumerFetches)
                .tags(tags).description("Consumer fetches this replica answered (a follower's count shows reads served near the consumer)")
                .register(registry));
    }

    void remove() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}

package io.sluice.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.sluice.log.OpenSegments;

import java.util.function.IntSupplier;

/**
 * The bounded resources of a node with many partitions, on {@code /metrics}: the process's open
 * file descriptors and their limit ({@code process_files_open_files}, {@code process_files_max_files}),
 * segments holding a file handle and loaded indexes against their cap
 * ({@code sluice_log_open_segments}, {@code sluice_log_open_segments_max}), how many were closed to
 * stay under it ({@code sluice_log_segment_evictions_total}: a fast climb means the cap is below the
 * working set, and segments are reopened on every use), and the replicas this node holds
 * ({@code sluice_partition_replicas}). Heap use is the JVM's {@code jvm_memory_used_bytes{area="heap"}}.
 */
public final class ResourceMetrics {
    private ResourceMetrics() {
    }

    public static void bind(MeterRegistry registry, OpenSegments segments, IntSupplier replicas) {
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("sluice.log.open.segments", segments, OpenSegments::openCount)
                .description("Segments holding a file handle and indexes").strongReference(true).register(registry);
        Gauge.builder("sluice.log.open.segments.max", segments, OpenSegments::maxOpen)
                .description("The cap on open segments (sluice.log.max.open.segments)").strongReference(true).register(registry);
        FunctionCounter.builder("sluice.log.segment.evictions", segments, OpenSegments::evictions)
                .description("Idle segments closed to stay under the cap; reopened on their next use").register(registry);
        Gauge.builder("sluice.partition.replicas", replicas, IntSupplier::getAsInt)
                .description("Partition replicas on this node").strongReference(true).register(registry);
    }
}

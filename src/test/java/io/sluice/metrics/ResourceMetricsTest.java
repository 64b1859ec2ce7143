package io.sluice.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.log.OpenSegments;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics shows the bounded resources: file descriptors, open segments against their cap, replicas. */
class ResourceMetricsTest {
    @Test
    void scrapeShowsFilesSegmentsAndReplicas() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ResourceMetrics.bind(registry, new OpenSegments(321), () -> 7);
        String scrape = registry.scrape();
        assertEquals(321, value(scrape, "sluice_log_open_segments_max"));
        assertEquals(0, value(scrape, "sluice_log_open_segments"));
        assertEquals(0, value(scrape, "sluice_log_segment_evictions_total"));
        assertEquals(7, value(scrape, "sluice_partition_replicas"));
        assertTrue(value(scrape, "process_files_open_files") > 0, scrape);
        assertTrue(value(scrape, "process_files_max_files") >= value(scrape, "process_files_open_files"));
    }

    private static double value(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(scrape);
        assertTrue(m.find(), name + " missing from\n" + scrape);
        return Double.parseDouble(m.group(1));
    }
}

package io.sluice.tools.bench;

import io.vertx.core.http.HttpClientAgent;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * {@code produce-single --versus URL}: the same single-record POSTs against two servers (a node
 * and the Vert.x ceiling) from this one tool JVM, in turns. The warm-up alternates between them
 * in five parts, then {@code --slices} measured slices of {@code --records / --slices} requests
 * each go to one server and then the other (the first server alternates slice by slice).
 *
 * <p>Why: measured one after the other, minutes apart, the two rates of a ratio fell into
 * different phases of this shared 2-core machine, which swing the same build by a fifth; and
 * each side had a tool JVM of its own, compiled by its own JIT. In turns, slices seconds apart,
 * both see the same phases and the same tool. Reports each server's rate over its slices, and
 * the median of the slices' ratios.
 */
final class SingleDuel {
    private static final int WARMUP_PARTS = 5;

    private SingleDuel() {
    }

    /** Drives {@code bench}'s node and {@code versus} in turns, {@code slices} measured slices each. */
    static void run(Bench bench, Producing load, HttpProducer.Bodies bodies, URI versusUrl, int slices, Results r)
            throws Exception {
        HttpClientAgent versusHttp = bench.httpClient(versusUrl);
        long part = load.warmupSeconds * 1_000_000_000L / WARMUP_PARTS;
        for (int i = 0; i < WARMUP_PARTS; i++) {
            HttpProducer.warmUp(bench, load, bodies, bench.http, bench.workload + " warm-up " + bench.target.url, part);
            HttpProducer.warmUp(bench, load, bodies, versusHttp, bench.workload + " warm-up " + versusUrl, part);
        }
        Meter target = new Meter("acked");
        Meter versus = new Meter("versus acked");
        long[] nanos = new long[2];
        double[] ratios = new double[slices];
        StringJoiner each = new StringJoiner(" ");
        long perSlice = load.records / slices;
        Progress progress = new Progress(bench.workload + " vs " + versusUrl, List.of(target, versus));
        try {
            for (int s = 0; s < slices; s++) {
                long n = s == slices - 1 ? load.records - perSlice * (slices - 1) : perSlice;
                double[] rate = new double[2];
                for (int k = 0; k < 2; k++) {
                    int side = (s + k) % 2; // 0: --url, 1: --versus; who goes first alternates
                    Meter m = side == 0 ? target : versus;
                    HttpClientAgent client = side == 0 ? bench.http : versusHttp;
                    HttpProducer p = new HttpProducer(bench, load, bodies, client, m, n, Long.MAX_VALUE);
                    bench.await(p.start());
                    long took = Math.max(1, m.lastNanos() - p.startNanos());
                    nanos[side] += took;
                    rate[side] = n / (took / 1e9);
                }
                ratios[s] = rate[0] / rate[1];
                each.add(String.format(Locale.ROOT, "%.0f/%.0f", rate[0], rate[1]));
            }
        } finally {
            progress.stop();
        }
        r.rate("", target.records(), load.recordSize, nanos[0]);
        r.meter("", target);
        r.rate("versus.", versus.records(), load.recordSize, nanos[1]);
        r.meter("versus.", versus);
        Arrays.sort(ratios);
        int mid = ratios.length / 2;
        r.put("ratio_median", ratios.length % 2 == 1 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2, 3);
        r.put("slices", each.toString());
        if (target.records() != load.records || versus.records() != load.records) {
            r.fail(target.records() + " and " + versus.records() + " of " + load.records + " records acknowledged");
        }
    }
}

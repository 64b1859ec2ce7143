package io.sluice.fault.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A scenario: the cluster's shape (nodes; a topic's partitions, replication factor and
 * min.insync.replicas), the workload's pace, and the fault schedule.
 *
 * @param pauseMs what each producer lane waits between acknowledged writes
 */
public record ScenarioSpec(String name, int nodes, int partitions, int rf, int minIsr, long pauseMs, Duration warmup,
                           List<Step> steps, long seed, List<String> settings) {

    /** A scenario on the suite's default broker settings ({@code ClusterOptions.DEFAULT_SETTINGS}). */
    public ScenarioSpec(String name, int nodes, int partitions, int rf, int minIsr, long pauseMs, Duration warmup,
                        List<Step> steps, long seed) {
        this(name, nodes, partitions, rf, minIsr, pauseMs, warmup, steps, seed, List.of());
    }

    /** The same scenario with {@code more} broker settings ({@code key=value}; a key given again replaces the earlier value). */
    public ScenarioSpec withSettings(List<String> more) {
        List<String> all = new ArrayList<>(settings);
        all.addAll(more);
        return new ScenarioSpec(name, nodes, partitions, rf, minIsr, pauseMs, warmup, steps, seed, List.copyOf(all));
    }

    public ScenarioSpec named(String newName) {
        return new ScenarioSpec(newName, nodes, partitions, rf, minIsr, pauseMs, warmup, steps, seed, settings);
    }

    public boolean needsPowerCut() {
        return steps.stream().anyMatch(s -> s.fault().needsPowerCut());
    }

    public boolean needsWallClocks() {
        return steps.stream().anyMatch(s -> s.fault().needsWallClocks());
    }

    /** One fault, held for {@code hold}. */
    public static ScenarioSpec single(Fault fault, int nodes, Duration hold, long seed) {
        return new ScenarioSpec(fault.name(), nodes, 3, 3, 2, 20, Duration.ofSeconds(5),
                List.of(new Step(fault, hold, Duration.ofSeconds(3))), seed);
    }

    /**
     * A random schedule from {@code seed}: faults drawn from {@code faults}, each held 5..{@code maxHold}
     * seconds and followed by 2..8 quiet seconds, until {@code duration} is used up. The same seed
     * always gives the same schedule.
     */
    public static ScenarioSpec random(String name, List<Fault> faults, int nodes, Duration duration, int maxHoldSeconds, long seed) {
        Random r = new Random(seed);
        List<Step> steps = new ArrayList<>();
        long left = duration.toSeconds();
        while (left > 0) {
            Fault f = faults.get(r.nextInt(faults.size()));
            long hold = 5 + r.nextInt(Math.max(1, maxHoldSeconds - 4));
            long quiet = 2 + r.nextInt(7);
            steps.add(new Step(f, Duration.ofSeconds(hold), Duration.ofSeconds(quiet)));
            left -= hold + quiet;
        }
        return new ScenarioSpec(name, nodes, 3, 3, 2, 20, Duration.ofSeconds(5), steps, seed);
    }
}

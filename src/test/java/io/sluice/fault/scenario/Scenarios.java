package io.sluice.fault.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The named scenarios of the issue, shared by the ITs and the soak: each fault alone on the cluster
 * shape the issue measured it on, and the combined random schedule. {@code seed} fixes every random
 * choice; {@code duration} is the combined schedule's length (single faults have fixed holds).
 */
public final class Scenarios {
    private static final Map<String, BiFunction<Long, Duration, ScenarioSpec>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("isolate-follower", (seed, d) -> ScenarioSpec.single(Faults.ISOLATE_FOLLOWER, 3, Duration.ofSeconds(15), seed));
        ALL.put("isolate-leader", (seed, d) -> ScenarioSpec.single(Faults.ISOLATE_LEADER, 3, Duration.ofSeconds(15), seed));
        ALL.put("isolate-leader-and-follower", (seed, d) -> ScenarioSpec.single(Faults.ISOLATE_LEADER_AND_FOLLOWER, 5, Duration.ofSeconds(20), seed));
        ALL.put("bridge", (seed, d) -> ScenarioSpec.single(Faults.BRIDGE, 5, Duration.ofSeconds(20), seed));
        ALL.put("kill-leader", (seed, d) -> ScenarioSpec.single(Faults.KILL_LEADER, 3, Duration.ofSeconds(8), seed));
        ALL.put("pause-leader", (seed, d) -> ScenarioSpec.single(Faults.PAUSE_LEADER, 3, Duration.ofSeconds(10), seed));
        ALL.put("clock-step", (seed, d) -> ScenarioSpec.single(Faults.CLOCK_STEP, 3, Duration.ofSeconds(15), seed));
        ALL.put("power-cut-leader", (seed, d) -> powerCut(Faults.POWER_CUT_LEADER, seed));
        ALL.put("power-cut-follower", (seed, d) -> powerCut(Faults.POWER_CUT_FOLLOWER, seed));
        ALL.put("power-cut-leader-and-follower", (seed, d) -> powerCut(Faults.POWER_CUT_LEADER_AND_FOLLOWER, seed));
        ALL.put("combined", (seed, d) -> {
            ScenarioSpec s = ScenarioSpec.random("combined", combinedFaults(), 5, d, 15, seed);
            return s.needsPowerCut() ? s.withSettings(List.of("log.segment.bytes=131072")) : s;
        });
    }

    private Scenarios() {
    }

    /**
     * Broker settings of the power-cut scenarios: small segments (lossyfs holds unsynced data in
     * memory; a segment is fsynced when it rolls), and a broker session and ISR lag long enough
     * that a node restarted after a power cut is back before the controller or its leaders notice
     * it was gone: the metadata still names it leader and in the ISR, the case the unclean-start
     * rule exists for. (With the default 2 s session a JVM restart here takes longer, and the
     * session timeout would fence the node before it came back.)
     */
    public static final List<String> POWER_CUT_SETTINGS = List.of("log.segment.bytes=131072",
            "broker.session.timeout.ms=30000", "replica.lag.time.max.ms=30000");

    /** 3 nodes, RF 3, min.insync.replicas 2: the power cut held 1 s (the JVM's restart takes seconds more), 2 s quiet. */
    static ScenarioSpec powerCut(Fault fault, long seed) {
        return new ScenarioSpec(fault.name(), 3, 3, 3, 2, 20, Duration.ofSeconds(5),
                List.of(new Step(fault, Duration.ofSeconds(1), Duration.ofSeconds(2))), seed, POWER_CUT_SETTINGS);
    }

    /** Every fault the combined schedule draws from (power loss only once a provider supports it). */
    static List<Fault> combinedFaults() {
        List<Fault> f = new ArrayList<>(List.of(Faults.ISOLATE_FOLLOWER, Faults.ISOLATE_LEADER, Faults.ISOLATE_LEADER_AND_FOLLOWER,
                Faults.BRIDGE, Faults.KILL_LEADER, Faults.PAUSE_LEADER, Faults.CLOCK_STEP));
        if (Boolean.getBoolean("sluice.fault.powerCut")) {
            f.add(Faults.POWER_CUT_LEADER);
            f.add(Faults.POWER_CUT_FOLLOWER);
        }
        return f;
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    public static ScenarioSpec named(String name, long seed, Duration duration) {
        BiFunction<Long, Duration, ScenarioSpec> f = ALL.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown scenario " + name + "; known: " + names());
        }
        return f.apply(seed, duration);
    }
}

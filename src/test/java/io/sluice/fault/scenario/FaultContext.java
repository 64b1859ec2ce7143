package io.sluice.fault.scenario;

import io.sluice.fault.history.History;
import io.sluice.fault.node.FaultCluster;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a {@link Fault} works with: the cluster, the topic under test, the history, a seeded random,
 * and where a fault reports what it checked itself ({@code findings}: notes, and violations of a
 * rule that fail the run like a checker anomaly).
 */
public record FaultContext(FaultCluster cluster, String topic, History history, Random random, Findings findings) {
    /** What faults found while running: notes for the report, violations that fail the run. */
    public static final class Findings {
        private final java.util.List<String> notes = new java.util.ArrayList<>();
        private final java.util.List<String> violations = new java.util.ArrayList<>();

        public synchronized void note(String s) {
            notes.add(s);
            System.out.println("[fault] " + s);
        }

        public synchronized void violation(String s) {
            violations.add(s);
            System.out.println("[fault] VIOLATION: " + s);
        }

        public synchronized java.util.List<String> notes() {
            return java.util.List.copyOf(notes);
        }

        public synchronized java.util.List<String> violations() {
            return java.util.List.copyOf(violations);
        }
    }

    /** The current leader of {@code partition} (as a serving node reports it), or a random node when none is known. */
    public int leaderOf(int partition) {
        JsonObject p = cluster.partition(topic, partition);
        String leader = p == null ? null : p.getString("leader");
        return leader != null ? FaultCluster.indexOf(leader) : random.nextInt(cluster.size());
    }

    /** The in-sync followers of {@code partition} (leader excluded), in the order the cluster reports them. */
    public List<Integer> followersOf(int partition) {
        JsonObject p = cluster.partition(topic, partition);
        int leader = leaderOf(partition);
        if (p == null) {
            return List.of();
        }
        return p.getJsonArray("isr").stream().map(o -> FaultCluster.indexOf((String) o)).filter(i -> i != leader).toList();
    }

    public Set<Integer> all() {
        Set<Integer> s = new TreeSet<>();
        for (int i = 0; i < cluster.size(); i++) {
            s.add(i);
        }
        return s;
    }

    public Set<Integer> allBut(Set<Integer> out) {
        Set<Integer> s = all();
        s.removeAll(out);
        return s;
    }
}

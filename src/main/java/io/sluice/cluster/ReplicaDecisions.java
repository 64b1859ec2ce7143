package io.sluice.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The controller's decisions about one partition, as pure functions of its assignment: leader
 * election when nodes come and go, ISR changes asked for by leaders, reassignments that add
 * replicas and let them catch up before the old ones leave, controlled shutdown, preferred
 * leaders. Kept apart from the controller's messaging so that every rule is testable alone.
 *
 * <p>The rules, as Kafka's: a leader is elected only from the in-sync replicas (unless the topic
 * allows unclean election), preferring the replicas' order; every change of leader bumps the
 * leader epoch; when every in-sync replica is gone the ISR keeps its last members, so that the
 * first of them to return can lead again without losing acknowledged records.
 */
public final class ReplicaDecisions {
    private ReplicaDecisions() {
    }

    /** Re-elects leaders lost with departed nodes and drops departed nodes from ISRs. */
    public static PartitionAssignment onLiveNodes(PartitionAssignment pa, Set<String> live, boolean unclean) {
        List<String> liveIsr = keep(pa.isr(), live::contains);
        List<String> isr = liveIsr.isEmpty() ? pa.isr() : liveIsr;
        boolean leaderLive = pa.leader() != null && live.contains(pa.leader());
        if (leaderLive) {
            return isr.equals(pa.isr()) ? pa : pa.withIsr(isr);
        }
        String candidate = firstOf(pa.targetReplicas(), r -> live.contains(r) && liveIsr.contains(r));
        if (candidate == null) {
            candidate = firstOf(pa.replicas(), r -> live.contains(r) && liveIsr.contains(r));
        }
        if (candidate == null && unclean) {
            candidate = firstOf(pa.targetReplicas(), live::contains);
            if (candidate != null) {
                return pa.withLeader(candidate, List.of(candidate));
            }
        }
        if (candidate == null) {
            // Offline: no in-sync replica is alive. Keep the ISR so the first of them to return leads.
            return pa.leader() == null ? pa : pa.withLeader(null, pa.isr());
        }
        return pa.withLeader(candidate, isr);
    }

    /**
     * A leader asks for {@code newIsr}.
     *
     * @return the new assignment, or null when the request is stale (another leader or epoch) or
     *         invalid (a replica not assigned, or without the leader)
     */
    public static PartitionAssignment alterIsr(PartitionAssignment pa, String leader, int leaderEpoch, List<String> newIsr) {
        if (!leader.equals(pa.leader()) || leaderEpoch != pa.leaderEpoch() || !newIsr.contains(leader)
                || !pa.replicas().containsAll(newIsr)) {
            return null;
        }
        return progress(pa.withIsr(ordered(newIsr, pa.replicas())));
    }

    /**
     * Moves a partition forward: completes a reassignment once every added replica is in sync,
     * and hands leadership to the preferred replica once it is in sync.
     */
    public static PartitionAssignment progress(PartitionAssignment pa) {
        if (pa.reassigning() && pa.isr().containsAll(pa.adding())
                && pa.isr().stream().anyMatch(pa.targetReplicas()::contains)) {
            // (A move that adds nothing completes only while a target replica is in sync: the
            // partition must keep an in-sync replica to elect from.)
            List<String> target = pa.targetReplicas();
            List<String> isr = keep(pa.isr(), target::contains);
            String leader = pa.leader();
            PartitionAssignment done = new PartitionAssignment(pa.partition(), target, leader, pa.leaderEpoch(), isr);
            if (leader == null || !target.contains(leader)) {
                String next = firstOf(target, isr::contains);
                done = done.withLeader(next, isr);
            }
            pa = done;
        }
        String preferred = pa.replicas().get(0);
        if (!pa.reassigning() && pa.leader() != null && !preferred.equals(pa.leader()) && pa.isr().contains(preferred)) {
            pa = pa.withLeader(preferred, pa.isr());
        }
        return pa;
    }

    /** {@code node} is shutting down: lead elsewhere and leave the ISR, where others can take over. */
    public static PartitionAssignment controlledShutdown(PartitionAssignment pa, String node, Set<String> live) {
        List<String> isr = keep(pa.isr(), r -> !r.equals(node));
        if (isr.isEmpty()) {
            return pa;
        }
        if (node.equals(pa.leader())) {
            String next = firstOf(pa.replicas(), r -> !r.equals(node) && live.contains(r) && isr.contains(r));
            return next == null ? pa : pa.withLeader(next, isr);
        }
        return pa.isr().contains(node) ? pa.withIsr(isr) : pa;
    }

    /**
     * A balanced placement for {@code partitions} (same topic order in, same order out) over
     * {@code nodes}, moving as few replicas as possible: every node ends with ⌊R/N⌋ or ⌈R/N⌉ of
     * the R replicas, and preferred leaders (first replicas) are spread the same way. Replicas
     * on nodes not in {@code nodes} move only when {@code evacuate}.
     */
    public static List<List<String>> balance(List<PartitionAssignment> partitions, List<String> nodes, boolean evacuate) {
        List<List<String>> target = new ArrayList<>();
        Map<String, Integer> load = new HashMap<>();
        nodes.forEach(n -> load.put(n, 0));
        int total = 0;
        for (PartitionAssignment pa : partitions) {
            List<String> replicas = new ArrayList<>(pa.targetReplicas());
            if (evacuate) {
                for (int i = 0; i < replicas.size(); i++) {
                    if (!load.containsKey(replicas.get(i))) {
                        replicas.set(i, null);
                    }
                }
            }
            target.add(replicas);
            for (String r : replicas) {
                if (r != null && load.containsKey(r)) {
                    load.merge(r, 1, Integer::sum);
                }
            }
            total += replicas.size();
        }
        // Fill the holes left by evacuated nodes with the least loaded nodes.
        for (List<String> replicas : target) {
            for (int i = 0; i < replicas.size(); i++) {
                if (replicas.get(i) == null) {
                    String n = leastLoaded(load, replicas);
                    replicas.set(i, n);
                    load.merge(n, 1, Integer::sum);
                }
            }
        }
        // Move one replica at a time from the most to the least loaded node until no two nodes
        // differ by more than one (then every node holds the floor or the ceiling). Each move
        // lowers the sum of squared loads, so this ends; a pair that no partition lets move
        // (every list holding the heavy node already holds the light one) is skipped.
        while (moveOneReplica(target, nodes, load)) {
            // keep moving
        }
        spreadLeaders(target, nodes);
        return target;
    }

    private static boolean moveOneReplica(List<List<String>> target, List<String> nodes, Map<String, Integer> load) {
        List<String> byLoad = new ArrayList<>(nodes);
        byLoad.sort((a, b) -> load.get(a).equals(load.get(b)) ? a.compareTo(b) : Integer.compare(load.get(a), load.get(b)));
        for (int hi = byLoad.size() - 1; hi > 0; hi--) {
            String heavy = byLoad.get(hi);
            for (int lo = 0; lo < hi; lo++) {
                String light = byLoad.get(lo);
                if (load.get(heavy) - load.get(light) < 2) {
                    break;
                }
                for (List<String> replicas : target) {
                    int i = replicas.indexOf(heavy);
                    if (i >= 0 && !replicas.contains(light)) {
                        replicas.set(i, light);
                        load.merge(heavy, -1, Integer::sum);
                        load.merge(light, 1, Integer::sum);
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Reorders replica lists so that first replicas (preferred leaders) spread evenly: every node
     * ends with ⌊P/N⌋ or ⌈P/N⌉ of them when its replicas allow, changing as few lists as possible.
     */
    private static void spreadLeaders(List<List<String>> target, List<String> nodes) {
        Map<String, Integer> leads = new HashMap<>();
        nodes.forEach(n -> leads.put(n, 0));
        for (List<String> replicas : target) {
            leads.merge(replicas.get(0), 1, Integer::sum);
        }
        int n = Math.max(1, nodes.size());
        int floor = target.size() / n;
        int ceil = floor + (target.size() % n == 0 ? 0 : 1);
        // A node short of leaderships takes one along the shortest chain of hand-overs that ends
        // at a node with one to spare: every move narrows the spread, so this ends.
        boolean moved = true;
        while (moved) {
            moved = false;
            List<String> byLeads = new ArrayList<>(nodes);
            byLeads.sort((a, b) -> leads.get(a).equals(leads.get(b)) ? a.compareTo(b) : Integer.compare(leads.get(a), leads.get(b)));
            for (String taker : byLeads) {
                int has = leads.get(taker);
                int donorAbove = has < floor ? floor : has < ceil ? ceil : -1;
                if (donorAbove < 0) {
                    break;
                }
                List<List<String>> chain = handOverChain(target, taker, d -> leads.getOrDefault(d, 0) > donorAbove);
                if (chain != null) {
                    String gives = chain.get(chain.size() - 1).get(0);
                    leads.merge(gives, -1, Integer::sum);
                    leads.merge(taker, 1, Integer::sum);
                    // Along the chain each node takes the list the next one led: counts in between stay.
                    String next = taker;
                    for (List<String> replicas : chain) {
                        String previous = replicas.get(0);
                        replicas.remove(next);
                        replicas.add(0, next);
                        next = previous;
                    }
                    moved = true;
                    break;
                }
            }
        }
    }

    /**
     * The shortest chain of replica lists through which {@code taker} can gain a preferred
     * leadership: it takes the first list (one it belongs to), whose leader takes the second,
     * and so on until a leader that is a donor gives one up. Null when there is none.
     */
    private static List<List<String>> handOverChain(List<List<String>> target, String taker, Predicate<String> donor) {
        Map<String, List<String>> via = new HashMap<>();
        Map<String, String> parent = new HashMap<>();
        java.util.ArrayDeque<String> queue = new java.util.ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        seen.add(taker);
        queue.add(taker);
        while (!queue.isEmpty()) {
            String node = queue.poll();
            for (List<String> replicas : target) {
                String leader = replicas.get(0);
                if (!replicas.contains(node) || leader.equals(node) || seen.contains(leader)) {
                    continue;
                }
                seen.add(leader);
                via.put(leader, replicas);
                parent.put(leader, node);
                if (donor.test(leader)) {
                    List<List<String>> chain = new ArrayList<>();
                    for (String at = leader; !at.equals(taker); at = parent.get(at)) {
                        chain.add(0, via.get(at));
                    }
                    return chain;
                }
                queue.add(leader);
            }
        }
        return null;
    }

    private static String leastLoaded(Map<String, Integer> load, Collection<String> exclude) {
        String best = null;
        for (Map.Entry<String, Integer> e : load.entrySet()) {
            if (!exclude.contains(e.getKey()) && (best == null || e.getValue() < load.get(best)
                    || (e.getValue().equals(load.get(best)) && e.getKey().compareTo(best) < 0))) {
                best = e.getKey();
            }
        }
        return best;
    }

    private static String firstOf(List<String> candidates, Predicate<String> ok) {
        for (String c : candidates) {
            if (ok.test(c)) {
                return c;
            }
        }
        return null;
    }

    private static List<String> keep(List<String> list, Predicate<String> ok) {
        List<String> out = new ArrayList<>();
        for (String s : list) {
            if (ok.test(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** {@code subset} in the order of {@code order}. */
    private static List<String> ordered(List<String> subset, List<String> order) {
        Set<String> in = new HashSet<>(subset);
        return keep(order, in::contains);
    }
}

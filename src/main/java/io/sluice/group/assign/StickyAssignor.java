package io.sluice.group.assign;

import io.sluice.bus.TopicPartition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A balanced assignment that moves as few partitions as possible from the one in force (the
 * idea of Kafka's sticky and cooperative-sticky assignors). Each member keeps what it owned and
 * still reads, down to its fair share; the partitions given up, freed by departed members, or
 * new, go to the members furthest below their share. Shares: every member gets
 * {@code floor(P / M)} and {@code P % M} of them one more, the extra going to members that
 * already own more (so nobody is stripped to be refilled).
 *
 * <p>With members subscribed to different topics the result stays valid (partitions only go to
 * readers of their topic) and close to balanced.
 */
public final class StickyAssignor implements PartitionAssignor {
    @Override
    public String name() {
        return "sticky";
    }

    @Override
    public Map<String, List<TopicPartition>> assign(Map<String, Set<String>> subscriptions, Map<String, Integer> partitionCounts,
                                                    Map<String, List<TopicPartition>> current) {
        Map<String, List<TopicPartition>> out = new TreeMap<>();
        subscriptions.keySet().forEach(m -> out.put(m, new ArrayList<>()));
        if (out.isEmpty()) {
            return out;
        }
        List<TopicPartition> all = Assignments.allPartitions(subscriptions, partitionCounts);
        Set<TopicPartition> valid = new HashSet<>(all);

        // 1. Keep what is still valid, once each.
        Set<TopicPartition> taken = new HashSet<>();
        for (Map.Entry<String, List<TopicPartition>> e : new TreeMap<>(current).entrySet()) {
            List<TopicPartition> mine = out.get(e.getKey());
            if (mine == null) {
                continue;
            }
            for (TopicPartition tp : e.getValue()) {
                if (valid.contains(tp) && subscriptions.get(e.getKey()).contains(tp.topic()) && taken.add(tp)) {
                    mine.add(tp);
                }
            }
        }

        // 2. Shares: the members owning most keep the extra partitions.
        int members = out.size();
        int base = all.size() / members;
        int extra = all.size() % members;
        List<String> byLoad = new ArrayList<>(out.keySet());
        byLoad.sort(Comparator.comparingInt((String m) -> -out.get(m).size()).thenComparing(m -> m));
        Map<String, Integer> share = new TreeMap<>();
        for (int i = 0; i < byLoad.size(); i++) {
            share.put(byLoad.get(i), base + (i < extra ? 1 : 0));
        }

        // 3. Members over their share give up their last partitions.
        List<TopicPartition> free = new ArrayList<>();
        for (Map.Entry<String, List<TopicPartition>> e : out.entrySet()) {
            List<TopicPartition> mine = e.getValue();
            mine.sort(ORDER);
            while (mine.size() > share.get(e.getKey())) {
                TopicPartition given = mine.remove(mine.size() - 1);
                taken.remove(given);
                free.add(given);
            }
        }
        for (TopicPartition tp : all) {
            if (!taken.contains(tp) && !free.contains(tp)) {
                free.add(tp);
            }
        }
        free.sort(ORDER);

        // 4. Free partitions go to the reader furthest below its share.
        for (TopicPartition tp : free) {
            String best = null;
            int bestGap = Integer.MIN_VALUE;
            for (Map.Entry<String, List<TopicPartition>> e : out.entrySet()) {
                if (!subscriptions.get(e.getKey()).contains(tp.topic())) {
                    continue;
                }
                int gap = share.get(e.getKey()) - e.getValue().size();
                if (gap > bestGap) {
                    bestGap = gap;
                    best = e.getKey();
                }
            }
            if (best != null) {
                out.get(best).add(tp);
            }
        }
        return Assignments.sorted(out);
    }
}

package io.sluice.fault.checker;

import io.sluice.fault.history.Op;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every replica's final log, read from its data directory after the cluster settled and stopped,
 * each cut at that replica's high watermark: above it a follower's tail may legitimately differ
 * until it is truncated, and nothing above it was ever served. partition → node → records.
 */
public final class FinalLogs {
    private final Map<Integer, Map<Integer, List<Op.Read>>> logs = new TreeMap<>();

    public void put(int partition, int node, List<Op.Read> records) {
        logs.computeIfAbsent(partition, p -> new TreeMap<>()).put(node, List.copyOf(records));
    }

    public Map<Integer, Map<Integer, List<Op.Read>>> all() {
        return logs;
    }

    public static FinalLogs none() {
        return new FinalLogs();
    }
}

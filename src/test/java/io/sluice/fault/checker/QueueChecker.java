package io.sluice.fault.checker;

import io.sluice.fault.history.Op;
import io.sluice.fault.history.Op.F;
import io.sluice.fault.history.Op.Read;
import io.sluice.fault.history.Op.Type;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a queue-workload history and the replicas' final logs for every {@link Anomaly}: a port
 * of the checks of Jepsen's Kafka queue workload ({@code jepsen.tests.kafka}: aborted reads,
 * inconsistent offsets, lost and unseen writes, duplicates, poll skips and non-monotonic polls),
 * plus committed group offsets that go backwards and reads that were rolled back. Pure: the same
 * history always gives the same verdict.
 */
public final class QueueChecker {
    private QueueChecker() {
    }

    /** Where a value was observed, for the examples. */
    private record Seen(String source, int partition, long offset, String value) {
    }

    public static CheckResult check(List<Op> history, FinalLogs finalLogs, int partitions) {
        CheckResult result = new CheckResult();
        Writes writes = Writes.of(history);
        result.attempts = writes.attempts;
        result.acked = writes.acked.size();
        result.failed = writes.definitelyFailed().size();
        result.indeterminate = writes.attempted.size() - result.acked - result.failed;

        // Every observation of (partition, offset, value): acknowledgements, reads, replicas' final logs.
        List<Seen> seen = new ArrayList<>();
        Set<String> readDuringRun = new TreeSet<>();
        Set<String> readAnywhere = new HashSet<>();
        Map<Integer, Set<String>> finalRead = new TreeMap<>();
        Map<String, String> readBy = new HashMap<>();
        for (Op op : history) {
            if (op.is(Type.OK, F.SEND)) {
                seen.add(new Seen("ack to " + op.process(), op.partition(), op.offset(), op.value()));
            }
            if (op.type() == Type.OK && (op.f() == F.POLL || op.f() == F.FETCH || op.f() == F.FINAL_READ)) {
                for (Read r : op.reads()) {
                    seen.add(new Seen("read by " + op.process() + " (op " + op.index() + ")", r.partition(), r.offset(), r.value()));
                    readAnywhere.add(r.value());
                    readBy.putIfAbsent(r.value(), op.process() + "@" + r.partition() + ":" + r.offset());
                    result.reads++;
                    if (op.f() == F.FINAL_READ) {
                        finalRead.computeIfAbsent(r.partition(), p -> new HashSet<>()).add(r.value());
                    } else {
                        readDuringRun.add(r.value());
                    }
                }
                if (op.f() == F.FINAL_READ) {
                    finalRead.computeIfAbsent(op.partition(), p -> new HashSet<>());
                }
            }
        }
        finalLogs.all().forEach((p, byNode) -> byNode.forEach((node, records) -> {
            for (Read r : records) {
                seen.add(new Seen("final log of n" + node, p, r.offset(), r.value()));
            }
        }));

        checkOffsetsAndDuplicates(seen, result);
        checkWritesAgainstReads(writes, readAnywhere, readDuringRun, finalRead, readBy, partitions, result);
        ReaderOrder.check(history, result);
        CommittedOffsets.check(history, result);
        return result;
    }

    private static void checkOffsetsAndDuplicates(List<Seen> seen, CheckResult result) {
        Map<String, Map<String, Seen>> valuesAt = new TreeMap<>();
        Map<String, Map<String, Seen>> positionsOf = new TreeMap<>();
        for (Seen s : seen) {
            String position = s.partition() + ":" + s.offset();
            valuesAt.computeIfAbsent(position, k -> new TreeMap<>()).putIfAbsent(s.value(), s);
            positionsOf.computeIfAbsent(s.value(), k -> new TreeMap<>()).putIfAbsent(position, s);
        }
        valuesAt.forEach((position, values) -> {
            if (values.size() > 1) {
                result.add(Anomaly.INCONSISTENT_OFFSET, "partition:offset " + position + " holds "
                        + values.values().stream().map(s -> s.value() + " (" + s.source() + ")").toList());
            }
        });
        positionsOf.forEach((value, positions) -> {
            if (positions.size() > 1) {
                result.add(Anomaly.DUPLICATE, value + " at " + positions.values().stream()
                        .map(s -> s.partition() + ":" + s.offset() + " (" + s.source() + ")").toList());
            }
        });
    }

    private static void checkWritesAgainstReads(Writes writes, Set<String> readAnywhere, Set<String> readDuringRun,
                                                Map<Integer, Set<String>> finalRead, Map<String, String> readBy,
                                                int partitions, CheckResult result) {
        for (int p = 0; p < partitions; p++) {
            if (!finalRead.containsKey(p)) {
                result.add(Anomaly.FINAL_READ_MISSING, "partition " + p);
            }
        }
        writes.acked.forEach((value, ack) -> {
            Set<String> fin = finalRead.get(ack.partition());
            if (fin != null && !fin.contains(value)) {
                result.add(Anomaly.LOST, value + " acknowledged at " + ack.partition() + ":" + ack.offset()
                        + " (op " + ack.index() + ")" + (readAnywhere.contains(value) ? ", read as " + readBy.get(value) : ""));
            }
            if (!readAnywhere.contains(value)) {
                result.add(Anomaly.UNSEEN, value + " acknowledged at " + ack.partition() + ":" + ack.offset() + " (op " + ack.index() + ")");
            }
        });
        Set<String> failed = writes.definitelyFailed();
        for (String value : new TreeSet<>(readAnywhere)) {
            if (!writes.attempted.containsKey(value)) {
                result.add(Anomaly.PHANTOM_READ, value + " read as " + readBy.get(value));
            } else if (failed.contains(value)) {
                result.add(Anomaly.ABORTED_READ, value + " read as " + readBy.get(value));
            }
        }
        for (String value : readDuringRun) {
            Integer p = writes.attempted.get(value);
            Set<String> fin = p == null ? null : finalRead.get(p);
            if (fin != null && !fin.contains(value)) {
                result.add(Anomaly.ROLLED_BACK_READ, value + " read as " + readBy.get(value));
            }
        }
    }

    /** The write side of a history: per value, its partition, acknowledgement and attempt outcomes. */
    static final class Writes {
        final Map<String, Integer> attempted = new HashMap<>();
        final Map<String, Op> acked = new TreeMap<>();
        final Map<String, Set<Type>> outcomes = new HashMap<>();
        final Map<String, Integer> pending = new HashMap<>();
        long attempts;

        static Writes of(List<Op> history) {
            Writes w = new Writes();
            for (Op op : history) {
                if (op.f() != F.SEND) {
                    continue;
                }
                if (op.type() == Type.INVOKE) {
                    w.attempts++;
                    w.attempted.put(op.value(), op.partition());
                    w.pending.merge(op.value(), 1, Integer::sum);
                } else {
                    w.pending.merge(op.value(), -1, Integer::sum);
                    w.outcomes.computeIfAbsent(op.value(), v -> new HashSet<>()).add(op.type());
                    if (op.type() == Type.OK) {
                        w.acked.putIfAbsent(op.value(), op);
                    }
                }
            }
            return w;
        }

        /** Values whose every attempt ended in a definite failure (one still in flight at the end is indeterminate). */
        Set<String> definitelyFailed() {
            Set<String> out = new HashSet<>();
            outcomes.forEach((v, types) -> {
                if (types.equals(Set.of(Type.FAIL)) && pending.getOrDefault(v, 0) == 0) {
                    out.add(v);
                }
            });
            return out;
        }
    }
}

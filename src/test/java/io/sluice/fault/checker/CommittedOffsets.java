package io.sluice.fault.checker;

import io.sluice.fault.history.Op;
import io.sluice.fault.history.Op.F;
import io.sluice.fault.history.Op.Type;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Committed group offsets never go backwards, judged in real-time order only (so the verdict never
 * depends on how concurrent operations happened to interleave): a read of the group's offsets
 * ({@code OFFSETS}) that began after a commit acknowledgement ({@code COMMITTED}) or another read
 * had completed must show, for every partition, at least the offset that one showed. A commit's
 * own invocation time is never used: acknowledgements cannot be matched to sends with certainty.
 */
final class CommittedOffsets {
    private CommittedOffsets() {
    }

    private record Known(long completed, Map<Integer, Long> offsets, String what) {
    }

    private record Read(long invoked, Map<Integer, Long> offsets, String what) {
    }

    static void check(List<Op> history, CheckResult result) {
        List<Known> known = new ArrayList<>();
        List<Read> reads = new ArrayList<>();
        Map<String, Long> invokedAt = new HashMap<>();
        for (Op op : history) {
            if (op.f() == F.OFFSETS && op.type() == Type.INVOKE) {
                invokedAt.put(op.process(), op.time());
            } else if (op.is(Type.OK, F.OFFSETS)) {
                String what = op.process() + " op " + op.index();
                known.add(new Known(op.time(), op.offsets(), what));
                Long inv = invokedAt.remove(op.process());
                if (inv != null) {
                    reads.add(new Read(inv, op.offsets(), what));
                }
            } else if (op.is(Type.OK, F.COMMITTED)) {
                known.add(new Known(op.time(), op.offsets(), "commit acknowledged to " + op.process() + " op " + op.index()));
            } else if (op.f() == F.OFFSETS) {
                invokedAt.remove(op.process());
            }
        }
        known.sort(Comparator.comparingLong(Known::completed));
        reads.sort(Comparator.comparingLong(Read::invoked));
        Map<Integer, Long> floor = new TreeMap<>();
        Map<Integer, String> floorFrom = new TreeMap<>();
        int k = 0;
        for (Read r : reads) {
            while (k < known.size() && known.get(k).completed() < r.invoked()) {
                Known kn = known.get(k++);
                kn.offsets().forEach((p, o) -> {
                    if (o > floor.getOrDefault(p, Long.MIN_VALUE)) {
                        floor.put(p, o);
                        floorFrom.put(p, kn.what());
                    }
                });
            }
            floor.forEach((p, min) -> {
                long got = r.offsets().getOrDefault(p, -1L);
                if (got < min) {
                    result.add(Anomaly.COMMIT_BACKWARDS, r.what() + " read partition " + p + " at " + got
                            + ", but " + floorFrom.get(p) + " had " + min + " before it began");
                }
            });
        }
    }
}

package io.sluice.fault.checker;

import io.sluice.fault.history.Op;
import io.sluice.fault.history.Op.F;
import io.sluice.fault.history.Op.Read;
import io.sluice.fault.history.Op.Type;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Jepsen's poll-skip and nonmonotonic-poll: a group member reads each assigned partition from the
 * assignment's start offset on, one offset after another, until the partition is revoked or the
 * socket closes; a fetch reader reads each partition one offset after another within one position
 * epoch (a RESET starts a new one). Offsets in Sluice are dense (no transaction markers), so any
 * jump forward is a skip and any step back is a reordering.
 */
final class ReaderOrder {
    private ReaderOrder() {
    }

    static void check(List<Op> history, CheckResult result) {
        // key: process/session/partition → next offset expected
        Map<String, Long> expected = new HashMap<>();
        for (Op op : history) {
            if (op.type() != Type.OK && op.f() != F.REVOKE && op.f() != F.RESET) {
                continue;
            }
            switch (op.f()) {
                case ASSIGN -> {
                    clearSession(expected, op);
                    op.offsets().forEach((p, start) -> {
                        if (start >= 0) {
                            expected.put(key(op, p), start);
                        }
                    });
                }
                case REVOKE -> {
                    if (op.offsets().isEmpty()) {
                        clearSession(expected, op);   // the socket closed: everything is revoked
                    } else {
                        op.offsets().keySet().forEach(p -> expected.remove(key(op, p)));
                    }
                }
                case POLL -> {
                    for (Read r : op.reads()) {
                        step(expected, key(op, r.partition()), r, op, result);
                    }
                }
                case FETCH -> {
                    String k = key(op, op.partition());
                    expected.putIfAbsent(k, op.offset());
                    for (Read r : op.reads()) {
                        step(expected, k, r, op, result);
                    }
                }
                default -> {
                }
            }
        }
    }

    private static void step(Map<String, Long> expected, String key, Read r, Op op, CheckResult result) {
        Long next = expected.get(key);
        if (next != null && r.offset() > next) {
            result.add(Anomaly.POLL_SKIP, op.process() + " (session " + op.session() + ", generation " + op.generation()
                    + ", op " + op.index() + ") partition " + r.partition() + ": expected offset " + next + ", got " + r.offset());
        } else if (next != null && r.offset() < next) {
            result.add(Anomaly.NONMONOTONIC_POLL, op.process() + " (session " + op.session() + ", generation " + op.generation()
                    + ", op " + op.index() + ") partition " + r.partition() + ": expected offset " + next + ", got " + r.offset());
        }
        expected.put(key, r.offset() + 1);
    }

    private static String key(Op op, int partition) {
        return op.process() + "/" + op.session() + "/" + partition;
    }

    private static void clearSession(Map<String, Long> expected, Op op) {
        String prefix = op.process() + "/" + op.session() + "/";
        expected.keySet().removeIf(k -> k.startsWith(prefix));
    }
}

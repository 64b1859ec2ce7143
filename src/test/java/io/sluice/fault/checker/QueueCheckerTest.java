package io.sluice.fault.checker;

import io.sluice.fault.history.History;
import io.sluice.fault.history.Op;
import io.sluice.fault.history.Op.F;
import io.sluice.fault.history.Op.Read;
import io.sluice.fault.history.Op.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker on small hand-made histories, one per anomaly, and on clean ones. */
class QueueCheckerTest {

    /** Builds histories with explicit, increasing times. */
    static final class H {
        final List<Op> ops = new ArrayList<>();
        long time;

        Op add(Type t, F f, String process, int partition, String value, long offset, List<Read> reads,
               Map<Integer, Long> offsets, int session, int generation) {
            Op op = new Op(ops.size(), time += 10, t, f, process, 0, partition, value, offset, reads, offsets, session, generation, null);
            ops.add(op);
            return op;
        }

        H send(String process, int p, String value, Type outcome, long offset) {
            add(Type.INVOKE, F.SEND, process, p, value, -1, List.of(), Map.of(), -1, -1);
            add(outcome, F.SEND, process, p, value, outcome == Type.OK ? offset : -1, List.of(), Map.of(), -1, -1);
            return this;
        }

        H ok(String process, int p, String value, long offset) {
            return send(process, p, value, Type.OK, offset);
        }

        H fetch(String process, int p, long from, Read... reads) {
            add(Type.INVOKE, F.FETCH, process, p, null, from, List.of(), Map.of(), 0, -1);
            add(Type.OK, F.FETCH, process, p, null, from, List.of(reads), Map.of(), 0, -1);
            return this;
        }

        H assign(String process, int session, int gen, Map<Integer, Long> starts) {
            add(Type.OK, F.ASSIGN, process, -1, null, -1, List.of(), starts, session, gen);
            return this;
        }

        H poll(String process, int session, int gen, Read... reads) {
            add(Type.OK, F.POLL, process, -1, null, -1, List.of(reads), Map.of(), session, gen);
            return this;
        }

        H committed(String process, Map<Integer, Long> offsets) {
            add(Type.OK, F.COMMITTED, process, -1, null, -1, List.of(), offsets, 0, 0);
            return this;
        }

        H offsetsRead(Map<Integer, Long> offsets) {
            add(Type.INVOKE, F.OFFSETS, "offsets", -1, null, -1, List.of(), Map.of(), -1, -1);
            add(Type.OK, F.OFFSETS, "offsets", -1, null, -1, List.of(), offsets, -1, -1);
            return this;
        }

        H finalRead(int p, Read... reads) {
            add(Type.OK, F.FINAL_READ, "final", p, null, 0, List.of(reads), Map.of(), -1, -1);
            return this;
        }

        CheckResult check(FinalLogs logs) {
            CheckResult r = QueueChecker.check(ops, logs, 1);
            System.out.println(r.report());
            return r;
        }

        CheckResult check() {
            return check(FinalLogs.none());
        }
    }

    static Read r(long offset, String value) {
        return new Read(0, offset, value);
    }

    /** Only {@code expected} occurred, {@code count} times. */
    static void only(CheckResult r, Anomaly expected, int count) {
        for (Anomaly a : Anomaly.values()) {
            assertEquals(a == expected ? count : 0, r.count(a), a.name());
        }
        assertFalse(r.valid());
    }

    @Test
    void aCleanHistoryIsValid() {
        CheckResult r = new H().ok("w", 0, "a", 0).ok("w", 0, "b", 1)
                .send("w", 0, "c", Type.INFO, -1)          // indeterminate, never stored: fine
                .fetch("reader", 0, 0, r(0, "a"), r(1, "b"))
                .assign("c1", 0, 1, Map.of(0, 0L)).poll("c1", 0, 1, r(0, "a")).poll("c1", 0, 1, r(1, "b"))
                .committed("c1", Map.of(0, 2L)).offsetsRead(Map.of(0, 2L))
                .finalRead(0, r(0, "a"), r(1, "b"))
                .check(logs(List.of(r(0, "a"), r(1, "b"))));
        assertTrue(r.valid(), r.report());
        assertEquals(2, r.acked());
        assertEquals(1, r.indeterminate());
    }

    @Test
    void anAcknowledgedWriteRolledBackIsLostAndItsOffsetInconsistent() {
        CheckResult r = new H().ok("w", 0, "a", 0).ok("minority", 0, "x", 1).ok("w", 0, "b", 1)
                .finalRead(0, r(0, "a"), r(1, "b")).check();
        assertEquals(1, r.count(Anomaly.LOST));
        assertEquals(1, r.count(Anomaly.UNSEEN));
        assertEquals(1, r.count(Anomaly.INCONSISTENT_OFFSET), "x acknowledged at 1, b read at 1");
    }

    @Test
    void anAcknowledgedWriteNeverReadIsUnseenEvenWhenNoOffsetDisagrees() {
        CheckResult r = new H().ok("w", 0, "a", 0).ok("w", 0, "b", 1).finalRead(0, r(0, "a")).check();
        assertEquals(1, r.count(Anomaly.UNSEEN));
        assertEquals(1, r.count(Anomaly.LOST));
        assertEquals(0, r.count(Anomaly.INCONSISTENT_OFFSET));
    }

    @Test
    void twoValuesAtOneOffsetAcrossReadsAreInconsistent() {
        CheckResult r = new H().send("w", 0, "a", Type.INFO, -1).send("w", 0, "b", Type.INFO, -1)
                .fetch("r1", 0, 0, r(0, "a")).fetch("r2", 0, 0, r(0, "b"))
                .finalRead(0, r(0, "b")).check();
        assertEquals(1, r.count(Anomaly.INCONSISTENT_OFFSET));
        assertEquals(1, r.count(Anomaly.ROLLED_BACK_READ), "a was served and is gone");
    }

    @Test
    void replicasFinalLogsThatDisagreeAreInconsistent() {
        FinalLogs logs = new FinalLogs();
        logs.put(0, 0, List.of(r(0, "a")));
        logs.put(0, 1, List.of(r(0, "z")));
        CheckResult r = new H().ok("w", 0, "a", 0).send("w", 0, "z", Type.INFO, -1).finalRead(0, r(0, "a")).check(logs);
        only(r, Anomaly.INCONSISTENT_OFFSET, 1);
    }

    @Test
    void oneValueAtTwoOffsetsIsADuplicate() {
        CheckResult r = new H().ok("w", 0, "a", 0).finalRead(0, r(0, "a"), r(1, "a")).check();
        only(r, Anomaly.DUPLICATE, 1);
    }

    @Test
    void aReadOfADefinitelyFailedWriteIsAnAbortedRead() {
        CheckResult r = new H().send("w", 0, "a", Type.FAIL, -1).finalRead(0, r(0, "a")).check();
        only(r, Anomaly.ABORTED_READ, 1);
    }

    @Test
    void aFailedAttemptFollowedByAnIndeterminateOneIsNotAnAbortedRead() {
        CheckResult r = new H().send("w", 0, "a", Type.FAIL, -1).send("w", 0, "a", Type.INFO, -1)
                .finalRead(0, r(0, "a")).check();
        assertTrue(r.valid(), r.report());
    }

    @Test
    void aReadOfSomethingNeverWrittenIsAPhantom() {
        CheckResult r = new H().finalRead(0, r(0, "ghost")).check();
        only(r, Anomaly.PHANTOM_READ, 1);
    }

    @Test
    void aGroupMemberThatSkipsAnOffsetWithinAGenerationIsCaught() {
        CheckResult r = new H().ok("w", 0, "a", 0).ok("w", 0, "b", 1).ok("w", 0, "c", 2)
                .assign("c1", 0, 1, Map.of(0, 0L)).poll("c1", 0, 1, r(0, "a"), r(2, "c"))
                .finalRead(0, r(0, "a"), r(1, "b"), r(2, "c")).check();
        only(r, Anomaly.POLL_SKIP, 1);
    }

    @Test
    void aGroupMemberThatGoesBackIsCaughtButANewAssignmentMayRestartEarlier() {
        H h = new H().ok("w", 0, "a", 0).ok("w", 0, "b", 1)
                .assign("c1", 0, 1, Map.of(0, 0L)).poll("c1", 0, 1, r(0, "a"), r(1, "b"))
                .assign("c1", 0, 2, Map.of(0, 1L)).poll("c1", 0, 2, r(1, "b"))     // re-delivery after a rebalance: fine
                .poll("c1", 0, 2, r(1, "b"));                                       // the same offset again: not fine
        CheckResult r = h.finalRead(0, r(0, "a"), r(1, "b")).check();
        only(r, Anomaly.NONMONOTONIC_POLL, 1);
    }

    @Test
    void aFetchReaderThatIsGivenAHoleIsCaught() {
        CheckResult r = new H().ok("w", 0, "a", 0).ok("w", 0, "b", 1).ok("w", 0, "c", 2)
                .fetch("r", 0, 0, r(0, "a")).fetch("r", 0, 1, r(2, "c"))
                .finalRead(0, r(0, "a"), r(1, "b"), r(2, "c")).check();
        only(r, Anomaly.POLL_SKIP, 1);
    }

    @Test
    void aCommittedOffsetReadLowerAfterAnAcknowledgedCommitGoesBackwards() {
        CheckResult r = new H().committed("c1", Map.of(0, 5L)).offsetsRead(Map.of(0, 5L)).offsetsRead(Map.of(0, 3L))
                .finalRead(0).check();
        only(r, Anomaly.COMMIT_BACKWARDS, 1);
    }

    @Test
    void concurrentOperationsAreNotOrdered() {
        // The read was invoked before the commit was acknowledged: it may legitimately see the old offset.
        H h = new H();
        h.add(Type.INVOKE, F.OFFSETS, "offsets", -1, null, -1, List.of(), Map.of(), -1, -1);
        h.committed("c1", Map.of(0, 5L));
        h.add(Type.OK, F.OFFSETS, "offsets", -1, null, -1, List.of(), Map.of(0, 3L), -1, -1);
        assertTrue(h.finalRead(0).check().valid());
    }

    @Test
    void aMissingFinalReadIsReported() {
        CheckResult r = new H().ok("w", 0, "a", 0).fetch("r", 0, 0, r(0, "a")).check();
        only(r, Anomaly.FINAL_READ_MISSING, 1);
    }

    @Test
    void historiesSurviveTheirJsonForm(@TempDir Path dir) throws Exception {
        History h = new History();
        h.add(Type.INVOKE, F.SEND, "w", 1, 0, "a", -1, null, null, -1, -1, "seq 0");
        h.add(Type.OK, F.SEND, "w", 1, 0, "a", 7, null, null, -1, -1, null);
        h.add(Type.OK, F.POLL, "c", 1, -1, null, -1, List.of(new Read(0, 7, "a")), null, 2, 3, null);
        h.add(Type.OK, F.COMMITTED, "c", 1, -1, null, -1, null, Map.of(0, 8L), 2, 3, null);
        h.write(dir.resolve("h.jsonl"));
        assertEquals(h.ops(), History.read(dir.resolve("h.jsonl")));
    }

    static FinalLogs logs(List<Read> records) {
        FinalLogs l = new FinalLogs();
        l.put(0, 0, records);
        l.put(0, 1, records);
        return l;
    }
}

package io.sluice.fault.checker;

/**
 * What the queue checker looks for (after Jepsen's Kafka queue workload, {@code jepsen.tests.kafka}).
 * Every one of them fails a run.
 */
public enum Anomaly {
    /** An acknowledged write that is not in the final read of its partition: the committed log dropped it. */
    LOST("acknowledged write missing from the final committed log"),
    /** An acknowledged write that no read ever returned, the final catch-up read included. */
    UNSEEN("acknowledged write never read by anyone"),
    /** One (partition, offset) with two different values across acknowledgements, reads and replicas' final logs. */
    INCONSISTENT_OFFSET("(partition, offset) holding two different values"),
    /** One value at two different (partition, offset) positions. */
    DUPLICATE("value at more than one offset"),
    /** A read of a value whose every write attempt definitely failed (Jepsen's aborted read). */
    ABORTED_READ("read of a write that definitely failed"),
    /** A read of a value nobody ever tried to write. */
    PHANTOM_READ("read of a value never written"),
    /** A value served to a reader during the run that is not in the final committed log. */
    ROLLED_BACK_READ("read served, later rolled back"),
    /** A reader skipped offsets within one assignment (or one fetch position). */
    POLL_SKIP("reader skipped offsets"),
    /** A reader went back to an offset at or below one it had already read, within one assignment. */
    NONMONOTONIC_POLL("reader went backwards"),
    /** The group's committed offset read lower than one acknowledged or read before it began. */
    COMMIT_BACKWARDS("committed group offset went backwards"),
    /** A partition without a successful final read: lost/unseen cannot be decided. */
    FINAL_READ_MISSING("partition without a final catch-up read");

    public final String description;

    Anomaly(String description) {
        this.description = description;
    }
}

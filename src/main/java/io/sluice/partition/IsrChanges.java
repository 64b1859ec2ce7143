package io.sluice.partition;

import io.sluice.bus.TopicPartition;
import io.vertx.core.Future;

import java.util.List;

/** Where a partition leader asks for a new ISR (the controller, which alone changes metadata). */
@FunctionalInterface
public interface IsrChanges {
    /**
     * Completes once the controller committed the change (or fails if it refused it as stale), on
     * any thread: the node's controller client completes it on the caller's context, but a leader
     * does not rely on that.
     */
    Future<Void> request(TopicPartition tp, String leader, int leaderEpoch, List<String> isr);
}

package io.sluice.partition;

import java.util.List;

/**
 * One local replica's state as it is now, for {@code GET /replicas}: role, offsets, requests
 * waiting, and the leader's view of its followers or the follower's fetch loop. Plain data, taken
 * on the replica's event loop ({@link PartitionVerticle#describe()}); the API room renders it.
 *
 * @param role            {@code leader}, {@code follower} or {@code idle}
 * @param leader          the node leading the partition, null when none does
 * @param leaderEpoch     the epoch of the replica's assignment, null before it has one
 * @param offsets         null until the log is open
 * @param leading         the leader's view of its followers, null unless it leads
 * @param following       the follower's fetch loop, null unless it follows
 */
public record ReplicaStatus(String topic, int partition, String role, String leader, Integer leaderEpoch, Offsets offsets,
                            int producesAwaitingAcks, int fetchesParked, long consumerFetches, Leading leading,
                            Following following) {
    /** Where the log stands, and how many writes wait for its writer. */
    public record Offsets(long logStartOffset, long logEndOffset, long highWatermark, int writesQueued) {
    }

    /**
     * A leader's state in its epoch ({@link LeaderState}).
     *
     * @param pendingIsr an ISR change asked of the controller and not committed yet, or null
     */
    public record Leading(long epochStartOffset, List<String> isr, List<String> pendingIsr,
                          List<FollowerProgress> followers) {
    }

    /**
     * How far one follower has fetched.
     *
     * @param sinceFetchMs null before its first fetch
     */
    public record FollowerProgress(String node, long fetchOffset, Long sinceFetchMs, long sinceCaughtUpMs) {
    }

    /**
     * A follower's fetch loop ({@link FollowerFetcher}).
     *
     * @param sinceAnswerMs null before the leader's first answer
     * @param lastError     null when none failed yet
     */
    public record Following(String leader, int leaderEpoch, String phase, long fetchOffset, long fetches,
                            Long sinceAnswerMs, int failedInARow, String lastError) {
    }
}

package io.sluice.group;

import io.sluice.bus.TopicPartition;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member's commits reach the coordinator one at a time and in order. The fault suite's combined
 * schedule showed why: a commit retried for nine seconds while the coordinator moved landed after
 * the member's later commits, and the group's committed offset went back.
 */
class MemberCommitsTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    /** The coordinator as the test drives it: every send waits until the test answers it. */
    private final List<Map<TopicPartition, Long>> sent = new ArrayList<>();
    private final List<Promise<Map<TopicPartition, Long>>> answers = new ArrayList<>();
    private final MemberCommits commits = new MemberCommits(offsets -> {
        sent.add(new LinkedHashMap<>(offsets));
        Promise<Map<TopicPartition, Long>> p = Promise.promise();
        answers.add(p);
        return p.future();
    });

    @Test
    void aCommitAskedForWhileAnotherIsInFlightIsSentOnlyAfterIt() {
        Future<Map<TopicPartition, Long>> first = commits.commit(Map.of(P0, 10L));
        Future<Map<TopicPartition, Long>> second = commits.commit(Map.of(P0, 20L));

        assertEquals(List.of(Map.of(P0, 10L)), sent, "only the first is sent while it is in flight");
        assertTrue(commits.inFlight());
        answers.get(0).complete(Map.of(P0, 10L));

        assertTrue(first.succeeded());
        assertEquals(List.of(Map.of(P0, 10L), Map.of(P0, 20L)), sent, "the second follows the first's answer");
        assertFalse(second.isComplete());
        answers.get(1).complete(Map.of(P0, 20L));
        assertEquals(Map.of(P0, 20L), second.result());
        assertFalse(commits.inFlight());
    }

    @Test
    void commitsThatWaitTogetherGoInOneSendWithTheLaterOffsetOfEachPartition() {
        commits.commit(Map.of(P0, 1L));
        Future<Map<TopicPartition, Long>> a = commits.commit(Map.of(P0, 5L, P1, 7L));
        Future<Map<TopicPartition, Long>> b = commits.commit(Map.of(P0, 6L));
        answers.get(0).complete(Map.of(P0, 1L));

        assertEquals(2, sent.size());
        assertEquals(Map.of(P0, 6L, P1, 7L), sent.get(1));
        answers.get(1).complete(Map.of(P0, 6L, P1, 7L));
        assertSame(a.result(), b.result(), "one answer for every commit the send carried");
    }

    @Test
    void aFailedCommitFailsItsCallersAndTheNextOneIsStillSent() {
        Future<Map<TopicPartition, Long>> first = commits.commit(Map.of(P0, 10L));
        Future<Map<TopicPartition, Long>> second = commits.commit(Map.of(P0, 11L));
        answers.get(0).fail(new SluiceException(ErrorCode.NOT_COORDINATOR, "moved"));

        assertTrue(first.failed());
        assertEquals(ErrorCode.NOT_COORDINATOR, ((SluiceException) first.cause()).code());
        assertEquals(2, sent.size(), "the failure does not hold up the commit asked for after it");
        answers.get(1).complete(Map.of(P0, 11L));
        assertTrue(second.succeeded());
    }

    @Test
    void aSendThatThrowsFailsItsCallerWithoutWedgingTheQueue() {
        MemberCommits throwing = new MemberCommits(new java.util.function.Function<>() {
            int calls;

            @Override
            public Future<Map<TopicPartition, Long>> apply(Map<TopicPartition, Long> offsets) {
                if (calls++ == 0) {
                    throw new SluiceException(ErrorCode.BAD_REQUEST, "bad");
                }
                return Future.succeededFuture(offsets);
            }
        });
        assertTrue(throwing.commit(Map.of(P0, 1L)).failed());
        assertEquals(Map.of(P0, 2L), throwing.commit(Map.of(P0, 2L)).result());
    }
}

package io.sluice.quorum;

import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicMetadata;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataDeltaTest {
    static TopicMetadata topic(String name, String leader, List<String> isr) {
        return new TopicMetadata(name, name + "-id", Map.of(), List.of(new PartitionAssignment(0, List.of("a", "b", "c"),
                leader, 1, isr)));
    }

    static final ClusterMetadata BASE = new ClusterMetadata(3, 10, Map.of(
            "keep", topic("keep", "a", List.of("a", "b", "c")),
            "shrink", topic("shrink", "a", List.of("a", "b", "c")),
            "drop", topic("drop", "b", List.of("b"))));

    @Test
    void onlyTheTopicsThatChangedTravelAndApplyingGivesTheTargetBack() {
        ClusterMetadata target = BASE.withTopic(topic("shrink", "a", List.of("a", "b"))).withoutTopic("drop")
                .withTopic(topic("new", "c", List.of("c")));
        MetadataDelta delta = MetadataDelta.between(BASE, target);
        assertEquals(List.of("new", "shrink"), delta.upserts().stream().map(TopicMetadata::name).sorted().toList());
        assertEquals(List.of("drop"), delta.deletions());
        assertEquals(BASE.version(), delta.baseVersion());
        assertTrue(delta.appliesTo(BASE));
        assertEquals(target, delta.applyTo(BASE));
        assertEquals(delta, MetadataDelta.fromBytes(delta.toBytes()), "the log entry reads back as written");
    }

    @Test
    void aDeltaComputedFromAnOlderVersionOrUnderAnOlderEpochDoesNotApply() {
        ClusterMetadata next = BASE.withTopic(topic("shrink", "a", List.of("a")));
        MetadataDelta delta = MetadataDelta.between(BASE, next);
        assertFalse(delta.appliesTo(next), "the state moved on: a second copy of the same change is stale");
        ClusterMetadata newerEpoch = new ClusterMetadata(4, BASE.version(), BASE.topics());
        assertFalse(delta.appliesTo(newerEpoch), "a successor opened epoch 4: the deposed controller's epoch-3 change loses");
    }

    @Test
    void aDeltaMustMoveTheVersionForward() {
        assertThrows(IllegalArgumentException.class, () -> new MetadataDelta(5, 5, 1, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> MetadataDelta.fromBytes("{\"op\":1}".getBytes()));
    }
}

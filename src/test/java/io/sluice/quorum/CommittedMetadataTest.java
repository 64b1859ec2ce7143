package io.sluice.quorum;

import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicMetadata;
import io.sluice.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every voter hands each metadata version its quorum member applies to the node, leader or not, in
 * log order: a voter follows the metadata log itself (as KRaft's brokers do) instead of depending
 * on the controller's publication over the event bus alone. The fault suite showed why: a voter
 * that Hazelcast had expelled at a heal took 15 s to merge back and learn the full ISR, though its
 * quorum member had the change within a second.
 */
class CommittedMetadataTest {
    @TempDir
    Path dir;

    @Test
    void everyVoterIsHandedEachCommittedVersionInOrder() throws Exception {
        List<Voter> voters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                voters.add(new Voter("n" + i, "127.0.0.1", s.getLocalPort()));
            }
        }
        List<List<ClusterMetadata>> seen = new ArrayList<>();
        List<MetadataQuorum> quorums = new ArrayList<>();
        try {
            for (Voter v : voters) {
                List<ClusterMetadata> mine = new CopyOnWriteArrayList<>();
                seen.add(mine);
                quorums.add(MetadataQuorum.start(new QuorumPlan(voters, v, "127.0.0.1", v.port()), dir.resolve(v.id()),
                        "committed-test", new QuorumSettings(1000, 2000, 20_000), new MetadataQuorum.Listener() {
                            @Override
                            public void leaderChanged(String leader) {
                            }

                            @Override
                            public void leaderReady() {
                            }

                            @Override
                            public void committed(ClusterMetadata state) {
                                mine.add(state);
                            }
                        }));
            }
            Await.until("a leader is ready", Duration.ofSeconds(30), () -> quorums.stream().anyMatch(MetadataQuorum::isReadyLeader));
            MetadataQuorum leader = quorums.stream().filter(MetadataQuorum::isReadyLeader).findFirst().orElseThrow();

            ClusterMetadata v1 = new ClusterMetadata(1, 1, Map.of("a", topic("a")));
            ClusterMetadata v2 = new ClusterMetadata(1, 2, Map.of("a", topic("a"), "b", topic("b")));
            assertTrue(leader.propose(MetadataDelta.between(ClusterMetadata.EMPTY, v1)).get(20, TimeUnit.SECONDS));
            assertTrue(leader.propose(MetadataDelta.between(v1, v2)).get(20, TimeUnit.SECONDS));
            // A stale delta (computed from version 1 again) is not applied, so nobody is handed it.
            assertTrue(!leader.propose(MetadataDelta.between(v1, new ClusterMetadata(1, 2, Map.of()))).get(20, TimeUnit.SECONDS));

            Await.until("every voter was handed both versions", Duration.ofSeconds(20),
                    () -> seen.stream().allMatch(s -> s.size() >= 2));
            for (List<ClusterMetadata> s : seen) {
                assertEquals(List.of(v1, v2), s, "each voter, leader or follower, in log order and nothing stale");
            }
        } finally {
            for (MetadataQuorum q : quorums) {
                q.close();
            }
        }
    }

    private static TopicMetadata topic(String name) {
        return new TopicMetadata(name, name + "-id", Map.of(),
                List.of(new PartitionAssignment(0, List.of("n0"), "n0", 0, List.of("n0"))));
    }
}

package io.sluice.security.tls;

import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicMetadata;
import io.sluice.quorum.MetadataDelta;
import io.sluice.quorum.MetadataQuorum;
import io.sluice.quorum.QuorumPlan;
import io.sluice.quorum.QuorumSettings;
import io.sluice.quorum.Voter;
import io.sluice.security.TestCertificates;
import io.sluice.security.TestCertificates.Authority;
import io.sluice.security.TestCertificates.Issued;
import io.sluice.testing.Await;
import org.apache.ratis.grpc.GrpcTlsConfig;
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
 * The controller quorum's Raft traffic with mutual TLS (the event bus's node certificates): voters
 * whose certificates the cluster's CA signed elect a leader and commit, while a voter holding a
 * certificate of another CA exchanges nothing with them: it is never handed a committed version,
 * and the majority commits without it.
 */
class QuorumMutualTlsTest {
    @TempDir
    Path dir;

    @Test
    void votersWithTrustedCertificatesCommitAndAnUntrustedOneLearnsNothing() throws Exception {
        Authority cluster = TestCertificates.authority("Cluster CA");
        Authority other = TestCertificates.authority("Another CA");
        List<Voter> voters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                voters.add(new Voter("n" + i, "127.0.0.1", s.getLocalPort()));
            }
        }
        // n2's certificate was signed by another CA (it trusts the cluster's CA all the same).
        List<GrpcTlsConfig> tls = List.of(tls(cluster.server("n0"), cluster), tls(cluster.server("n1"), cluster),
                tls(other.server("n2"), cluster));
        List<List<ClusterMetadata>> seen = new ArrayList<>();
        List<MetadataQuorum> quorums = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Voter v = voters.get(i);
                List<ClusterMetadata> mine = new CopyOnWriteArrayList<>();
                seen.add(mine);
                quorums.add(MetadataQuorum.start(new QuorumPlan(voters, v, "127.0.0.1", v.port()), dir.resolve(v.id()),
                        "tls-test", new QuorumSettings(1000, 2000, 20_000), tls.get(i), new MetadataQuorum.Listener() {
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
            Await.until("a trusted voter leads", Duration.ofSeconds(60),
                    () -> quorums.get(0).isReadyLeader() || quorums.get(1).isReadyLeader());
            MetadataQuorum leader = quorums.get(0).isReadyLeader() ? quorums.get(0) : quorums.get(1);
            ClusterMetadata v1 = new ClusterMetadata(1, 1, Map.of("a", new TopicMetadata("a", "a-id", Map.of(),
                    List.of(new PartitionAssignment(0, List.of("n0"), "n0", 0, List.of("n0"))))));
            assertTrue(leader.propose(MetadataDelta.between(ClusterMetadata.EMPTY, v1)).get(30, TimeUnit.SECONDS),
                    "the two trusted voters are a majority");
            Await.until("both trusted voters applied it", Duration.ofSeconds(20),
                    () -> seen.get(0).contains(v1) && seen.get(1).contains(v1));
            assertEquals(List.of(), seen.get(2), "the voter with an untrusted certificate was handed nothing");
            assertTrue(!quorums.get(2).isReadyLeader(), "and leads nothing");
        } finally {
            for (MetadataQuorum q : quorums) {
                q.close();
            }
        }
    }

    private static GrpcTlsConfig tls(Issued node, Authority trusted) {
        return new GrpcTlsConfig(node.keys().getPrivate(), node.certificate(), List.of(trusted.certificate()), true);
    }
}

package io.sluice.fault;

import io.sluice.fault.net.LeftoverCleaner;
import io.sluice.fault.net.Shell;
import io.sluice.fault.node.ClusterOptions;
import io.sluice.fault.node.FaultCluster;
import io.sluice.fault.node.PlainDataDirs;
import io.sluice.fault.node.Voters;
import io.sluice.testing.NodeProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The harness itself: three nodes in namespaces form a cluster over the bridge, a cut node drops
 * out of the others' membership while its management link keeps answering, a heal brings it back,
 * a wall-clock step through libfaketime reaches the JVMs (records are stamped with the stepped
 * clock), and nothing of the run is left on the host afterwards.
 */
class FaultHarnessIT {
    @BeforeAll
    static void preflight() {
        FaultSuite.preflight();
    }

    @Test
    void aCutNodeLeavesTheMembershipAndComesBackAfterTheHeal() throws Exception {
        Path out = Path.of("target", "fault-runs", "harness-" + System.currentTimeMillis());
        // What a crashed run leaves: a namespace whose owner process is gone. Creating a network cleans it up.
        String stale = String.format("sl-%04x-n0", (int) (System.nanoTime() & 0xffff));
        Shell.check("ip", "netns", "add", stale);
        String run;
        try (FaultCluster cluster = FaultCluster.create(new ClusterOptions(3, ClusterOptions.DEFAULT_SETTINGS,
                Voters.fromSystemProperties(NodeProcess.jar(), 3), true, new PlainDataDirs()), out)) {
            run = cluster.network().run();
            assertFalse(Shell.run(List.of("ip", "netns", "list")).output().contains(stale), "stale namespace " + stale + " removed");
            cluster.startAll(Duration.ofSeconds(120));
            cluster.network().isolate(Set.of(2));
            FaultCluster.Polls.until("node 0 sees two nodes", Duration.ofSeconds(30), () -> members(cluster, 0) == 2);
            assertEquals(200, cluster.http(2).get("/health", Duration.ofSeconds(5)).status(),
                    "the management link of a cut node still answers");
            cluster.network().heal();
            FaultCluster.Polls.until("every node sees three again", Duration.ofSeconds(60),
                    () -> members(cluster, 0) == 3 && members(cluster, 2) == 3);
            recordsAreStampedWithASteppedClock(cluster);
        }
        String left = Shell.run(List.of("ip", "netns", "list")).output();
        assertFalse(left.contains("sl-" + run + "-"), "namespaces removed: " + left);
        assertFalse(Shell.run(List.of("ip", "link")).output().contains("sl" + run + "m"), "management links removed");
        LeftoverCleaner.clean();
    }

    /** Steps every node's wall clock an hour ahead; the broker-set timestamp of a record follows within seconds. */
    private static void recordsAreStampedWithASteppedClock(FaultCluster cluster) {
        String topic = "{\"name\":\"clock\",\"partitions\":1,\"replication_factor\":3}";
        FaultCluster.Polls.until("topic clock created", Duration.ofSeconds(60), () -> {
            var r = cluster.http(0).post("/topics", topic, Duration.ofSeconds(10));
            return r.is(201) || r.is(409);
        });
        for (int i = 0; i < cluster.size(); i++) {
            cluster.node(i).clock().step(3600);
        }
        long hourAhead = System.currentTimeMillis() + 3_500_000L;
        FaultCluster.Polls.until("a record stamped an hour ahead", Duration.ofSeconds(30), () -> {
            var r = cluster.http(0).post("/topics/clock/records?acks=all", "{\"records\":[{\"value\":1}]}", Duration.ofSeconds(10));
            if (!r.is(200)) {
                return false;
            }
            long offset = new JsonObject(r.body()).getJsonArray("offsets").getJsonObject(0).getLong("offset");
            var f = cluster.http(0).get("/topics/clock/partitions/0/records?offset=" + offset + "&max_records=1", Duration.ofSeconds(10));
            return f.is(200) && new JsonObject(f.body()).getJsonArray("records").getJsonObject(0).getLong("timestamp") > hourAhead;
        });
        for (int i = 0; i < cluster.size(); i++) {
            cluster.node(i).clock().reset();
        }
    }

    private static int members(FaultCluster c, int i) {
        var r = c.http(i).get("/cluster", Duration.ofSeconds(3));
        return r.is(200) ? new JsonObject(r.body()).getJsonArray("nodes").size() : -1;
    }
}

package io.sluice.schema.registry;

import io.sluice.cluster.TopicMetadata;
import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry of a cluster: one set of ids and versions whichever node is asked, a registration
 * read at once from another node, ids assigned once when nodes register at the same moment, ids
 * kept across the loss of the {@code _schemas} leader and a restart of every node, and writes
 * refused with Confluent's 50003 while {@code _schemas} has no leader.
 */
class SchemaRegistryClusterTest {
    @TempDir
    Path dir;
    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static String record(String name) {
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";
    }

    private RegistryClient client(int i) {
        return new RegistryClient(cluster.node(i).port());
    }

    private int schemasLeader() {
        TopicMetadata t = cluster.node(0).node().metadata().current().topic(SchemasTopic.NAME);
        return cluster.indexOf(t.partition(0).leader());
    }

    @Test
    void everyNodeAnswersTheSameIdsAtOnceAndAfterLosingTheLeaderAndRestartingAll() {
        cluster = new TestCluster(dir, 3, 0, "offsets.topic.num.partitions=1");
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (RegistryClient writer = client(i); RegistryClient reader = client((i + 1) % 3)) {
                int id = writer.register("s" + i, record("R" + i));
                ids.add(id);
                // Read your writes: the next node asked answers with it at once, no waiting.
                Resp read = reader.get("/subjects/s" + i + "/versions/latest");
                assertEquals(200, read.status(), read.toString());
                assertEquals(id, read.json().getInteger("id"));
                assertEquals(200, reader.get("/schemas/ids/" + id).status());
            }
        }
        assertEquals(List.of(1, 2, 3), ids);
        assertSameEverywhere(List.of(0, 1, 2), 3);

        // The leader of _schemas-0 goes: another replica leads, with every id, and goes on from the highest.
        int leader = schemasLeader();
        cluster.stop(leader);
        int survivor = (leader + 1) % 3;
        try (RegistryClient c = client(survivor)) {
            assertEquals(4, c.register("s3", record("R3")));
            assertEquals(1, c.register("again", record("R0")));
        }
        cluster.start(leader);
        // Every node stopped, then started again: what it answers is read back from _schemas.
        for (int i = 0; i < 3; i++) {
            cluster.stop(i);
        }
        cluster.startTogether(0, 1, 2);
        assertSameEverywhere(List.of(0, 1, 2), 4);
        try (RegistryClient c = client(2)) {
            assertEquals(new JsonArray().add("again").add("s0").add("s1").add("s2").add("s3"), c.get("/subjects").jsonArray());
            assertEquals(5, c.register("s4", record("R4")));
        }
    }

    private void assertSameEverywhere(List<Integer> nodes, int schemas) {
        JsonObject first = null;
        for (int n : nodes) {
            try (RegistryClient c = client(n)) {
                JsonObject view = new JsonObject();
                for (int id = 1; id <= schemas; id++) {
                    Resp r = c.get("/schemas/ids/" + id);
                    assertEquals(200, r.status(), "node " + n + " id " + id + ": " + r);
                    view.put(String.valueOf(id), r.json().getString("schema"));
                }
                for (int s = 0; s < Math.min(schemas, 3); s++) {
                    view.put("s" + s, c.get("/subjects/s" + s + "/versions/1").json().getInteger("id"));
                }
                if (first == null) {
                    first = view;
                } else {
                    assertEquals(first, view, "node " + n);
                }
            }
        }
        for (int s = 0; s < Math.min(schemas, 3); s++) {
            assertEquals(s + 1, first.getInteger("s" + s));
        }
    }

    @Test
    void nodesRegisteringTheSameSchemasAtTheSameMomentGetOneIdEach() throws Exception {
        cluster = new TestCluster(dir, 3, 0, "offsets.topic.num.partitions=1");
        int schemas = 12;
        try (RegistryClient c = client(0)) {
            // (Each schema is another record: no level but NONE takes them as versions of one subject.)
            assertEquals(200, c.put("/config", new JsonObject().put("compatibility", "NONE")).status());
        }
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<List<Integer>>> perNode = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            int node = n;
            perNode.add(CompletableFuture.supplyAsync(() -> {
                try (RegistryClient c = client(node)) {
                    go.await();
                    List<Integer> got = new ArrayList<>();
                    for (int i = 0; i < schemas; i++) {
                        // The same subject and schema from every node, and a subject of each node's own.
                        got.add(c.register("shared", "{\"type\":\"record\",\"name\":\"S" + i + "\",\"fields\":[]}"));
                        got.add(c.register("node" + node, "{\"type\":\"record\",\"name\":\"S" + i + "\",\"fields\":[]}"));
                    }
                    return got;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        go.countDown();
        List<List<Integer>> results = new ArrayList<>();
        for (CompletableFuture<List<Integer>> f : perNode) {
            results.add(f.get());
        }
        for (int i = 0; i < 2 * schemas; i++) {
            int id = results.get(0).get(i);
            for (List<Integer> r : results) {
                assertEquals(id, r.get(i), "schema " + i / 2 + " has one id on every node: " + results);
            }
        }
        Set<Integer> distinct = new HashSet<>(results.get(0));
        assertEquals(schemas, distinct.size(), results.toString());
        for (int id = 1; id <= schemas; id++) {
            assertTrue(distinct.contains(id), "ids are 1.." + schemas + " without gaps: " + distinct);
        }
        try (RegistryClient c = client(1)) {
            JsonArray versions = c.get("/subjects/shared/versions").jsonArray();
            assertEquals(schemas, versions.size(), "one version per schema, however many nodes registered it: " + versions);
        }
    }

    @Test
    void writesFailWithConfluents50003WhileSchemasHasNoLeaderAndReadsGoOn() {
        cluster = new TestCluster(dir, 3, 0, "offsets.topic.num.partitions=1", "schema.registry.topic.replication.factor=1",
                "schema.registry.leader.wait.ms=1000");
        try (RegistryClient c = client(0)) {
            assertEquals(1, c.register("before", record("Before")));
        }
        int only = schemasLeader();
        int other = (only + 1) % 3;
        cluster.stop(only);
        try (RegistryClient c = client(other)) {
            Await.until("_schemas-0 has no leader", Duration.ofSeconds(20), () -> cluster.node(other).node().metadata().current()
                    .topic(SchemasTopic.NAME).partition(0).leader() == null);
            Resp refused = c.post("/subjects/during/versions", RegistryClient.schema(record("During")));
            SchemaRegistryApiTest.assertRegistryError(refused, 500, 50003);
            Resp read = c.get("/subjects/before/versions/1");
            assertEquals(200, read.status(), read.toString());
        }
        cluster.start(only);
        try (RegistryClient c = client(other)) {
            Await.until("_schemas-0 leads again", Duration.ofSeconds(30), () -> c.post("/subjects/during/versions",
                    RegistryClient.schema(record("During"))).status() == 200);
            assertEquals(2, c.get("/subjects/during/versions/1").json().getInteger("id"));
        }
    }
}

package io.sluice.security.tls;

import io.sluice.bus.Acks;
import io.sluice.bus.BusCodecs;
import io.sluice.bus.ProduceRequest;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.HazelcastSetup;
import io.sluice.cluster.MetadataCache;
import io.sluice.config.ConfigLoader;
import io.sluice.config.NodeConfig;
import io.sluice.log.LogTestSupport;
import io.sluice.partition.PartitionClient;
import io.sluice.security.TestCertificates;
import io.sluice.security.TestCertificates.Authority;
import io.sluice.security.TestCertificates.Issued;
import io.sluice.security.TlsProbe;
import io.sluice.testing.Await;
import io.sluice.testing.FreePorts;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event bus between nodes with mutual TLS: two nodes whose certificates the bus CA signed form a
 * working cluster (a replicated topic), while a member whose certificate another CA signed joins
 * Hazelcast (whose port has no TLS) but exchanges no event-bus message with them in either direction,
 * so its produce never reaches a leader. (A whole node with such a certificate cannot fetch the
 * controller's metadata, so its start fails, but only after the two minutes a starting node waits for a
 * quorum: the bare member below runs the node's own bus TLS code instead.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BusMutualTlsTest {
    @TempDir
    static Path dir;

    Authority busCa;
    Authority otherCa;
    Issued nodeCert;
    Issued strangerCert;
    Path strangerCrt;
    Path strangerKey;
    Path busTrust;
    TestCluster cluster;

    @BeforeAll
    void start() throws Exception {
        busCa = TestCertificates.authority("Bus CA");
        otherCa = TestCertificates.authority("Other CA");
        nodeCert = busCa.server("sluice-node").writePem(dir.resolve("bus.crt"), dir.resolve("bus.key"));
        busTrust = busCa.writePem(dir.resolve("bus-ca.pem"));
        strangerCrt = dir.resolve("stranger.crt");
        strangerKey = dir.resolve("stranger.key");
        strangerCert = otherCa.server("stranger").writePem(strangerCrt, strangerKey);
        cluster = new TestCluster(dir, 2, 1, "security.bus.tls.cert=" + dir.resolve("bus.crt"),
                "security.bus.tls.key=" + dir.resolve("bus.key"), "security.bus.tls.truststore=" + busTrust,
                "sluice.request.timeout.ms=4000");
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static VertxInternal vertx(int i, TestCluster cluster) {
        return (VertxInternal) cluster.node(i).node().vertx();
    }

    @Test
    void trustedNodesReplicateOverTheBus() {
        try (HttpTestClient a = new HttpTestClient(cluster.node(0).port()); HttpTestClient b = new HttpTestClient(cluster.node(1).port())) {
            HttpTestClient.Resp created = a.post("/topics", new JsonObject().put("name", "mtls").put("partitions", 2)
                    .put("replication_factor", 2).put("configs", new JsonObject().put("min.insync.replicas", 2)));
            assertEquals(201, created.status(), created.toString());
            JsonArray records = new JsonArray();
            for (int i = 0; i < 10; i++) {
                records.add(new JsonObject().put("key", "k" + i).put("value", i));
            }
            // acks=all with min.insync.replicas=2: each record reached the follower on the other node over the bus.
            assertEquals(10, b.produce("mtls", records).getJsonArray("offsets").size());
            int total = 0;
            for (int p = 0; p < 2; p++) {
                total += a.get("/topics/mtls/partitions/" + p + "/records?offset=0&max_records=100").json().getJsonArray("records").size();
            }
            assertEquals(10, total);
        }
    }

    /** The bus port itself: a handshake needs a certificate the bus CA signed (TLS 1.2, where the client's part is in the handshake). */
    @Test
    void theBusPortAcceptsOnlyCertificatesTheBusCaSigned() throws Exception {
        int busPort = vertx(0, cluster).clusterManager().getNodeInfo().port();
        assertEquals(nodeCert.serial(), TlsProbe.serverCertificate(TestCertificates.sslContext(busCa, nodeCert), busPort, "TLSv1.2")
                .getSerialNumber());
        assertThrows(IOException.class, () -> TlsProbe.serverCertificate(TestCertificates.sslContext(busCa, null), busPort, "TLSv1.2"));
        assertThrows(IOException.class, () -> TlsProbe.serverCertificate(
                TestCertificates.sslContext(busCa, strangerCert), busPort, "TLSv1.2"));
    }

    @Test
    void aMemberWithAnUntrustedCertificateExchangesNoBusMessage() throws Exception {
        VertxInternal n0 = vertx(0, cluster);
        VertxInternal n1 = vertx(1, cluster);
        AtomicInteger reachedN0 = new AtomicInteger();
        Await.result(n0.eventBus().<String>consumer("tls-test.echo.n0", m -> {
            reachedN0.incrementAndGet();
            m.reply("pong");
        }).completion());
        // Trusted to trusted: the bus works.
        assertEquals("pong", Await.result(n1.eventBus().<String>request("tls-test.echo.n0", "ping")).body());

        Vertx stranger = stranger();
        try {
            String strangerId = ((VertxInternal) stranger).clusterManager().getNodeId();
            Await.until("the stranger is a Hazelcast member", Duration.ofSeconds(10),
                    () -> n0.clusterManager().getNodes().contains(strangerId));
            AtomicInteger reachedStranger = new AtomicInteger();
            MessageConsumer<String> consumer = stranger.eventBus().<String>consumer("tls-test.echo.stranger", m -> {
                reachedStranger.incrementAndGet();
                m.reply("pong");
            });
            Await.result(consumer.completion());
            int before = reachedN0.get();

            // The stranger cannot send to a trusted node...
            assertThrows(RuntimeException.class, () -> Await.result(stranger.eventBus().request("tls-test.echo.n0", "ping",
                    new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(3000)), Duration.ofSeconds(10)));
            // ...nor receive from one.
            assertThrows(RuntimeException.class, () -> Await.result(n0.eventBus().request("tls-test.echo.stranger", "ping",
                    new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(3000)), Duration.ofSeconds(10)));
            assertEquals(before, reachedN0.get(), "nothing the stranger sent reached n0");
            assertEquals(0, reachedStranger.get(), "nothing n0 sent reached the stranger");

            // Its produce, forwarded to the partition's leader on a trusted node as any node forwards one, fails
            // and writes nothing.
            try (HttpTestClient a = new HttpTestClient(cluster.node(0).port())) {
                a.createTopic("from-stranger", 1, new JsonObject());
                MetadataCache metadata = new MetadataCache(stranger);
                metadata.apply(cluster.node(0).node().metadata().current());
                PartitionClient client = new PartitionClient(stranger, metadata);
                TopicPartition tp = new TopicPartition("from-stranger", 0);
                assertThrows(RuntimeException.class, () -> Await.result(client.produce(new ProduceRequest(tp,
                        List.of(LogTestSupport.batch(System.currentTimeMillis(), "forged")), Acks.LEADER, 2000)), Duration.ofSeconds(20)));
                assertEquals(0L, a.get("/topics/from-stranger/partitions/0/offsets").json().getLong("log_end_offset"));
            }
            // The trusted nodes still talk to each other.
            assertEquals("pong", Await.result(n1.eventBus().<String>request("tls-test.echo.n0", "ping")).body());
        } finally {
            Await.result(stranger.close());
        }
    }

    /**
     * A bare clustered Vert.x in the cluster's Hazelcast, with the node's own bus TLS code and settings
     * but the other CA's certificate (it trusts the bus CA: only its own certificate is wrong).
     */
    private Vertx stranger() throws Exception {
        NodeConfig config = ConfigLoader.load(new String[]{"--cluster-host", "127.0.0.1", "--cluster-port",
                String.valueOf(FreePorts.next()), "--cluster-name", cluster.clusterName(), "--cluster-members", cluster.memberList(),
                "--data-dir", dir.resolve("stranger").toString(),
                "--set", "security.bus.tls.cert=" + strangerCrt, "--set", "security.bus.tls.key=" + strangerKey,
                "--set", "security.bus.tls.truststore=" + busTrust}, Map.of());
        TlsSettings settings = TlsSettings.bus(config.broker());
        EventBusOptions bus = BusTls.apply(new EventBusOptions().setHost("127.0.0.1").setPort(0), settings, TlsMaterial.load(settings));
        Vertx v = Await.result(Vertx.builder().with(new VertxOptions().setEventBusOptions(bus))
                .withClusterManager(new HazelcastClusterManager(HazelcastSetup.config(config, "stranger"))).buildClustered(),
                Duration.ofSeconds(60));
        BusCodecs.register(v.eventBus());
        return v;
    }
}

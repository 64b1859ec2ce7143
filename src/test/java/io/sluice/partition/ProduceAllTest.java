package io.sluice.partition;

import io.sluice.bus.Acks;
import io.sluice.bus.ProduceRequest;
import io.sluice.bus.ProduceResponse;
import io.sluice.bus.ProduceResponse.BatchResult;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicMetadata;
import io.sluice.config.BrokerSettings;
import io.sluice.log.LogTestSupport;
import io.sluice.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PartitionClient#produceAll}: one client request's partitions, led on this node by replicas
 * on several event loops and one led by another node, are each written once, at the offsets their
 * logs give, and answered in the order asked.
 */
class ProduceAllTest {
    private static final String TOPIC = "spread";
    private static final int LOCAL = 16;

    @TempDir
    Path dataDir;
    private LocalReplicas node;

    @AfterEach
    void close() throws Exception {
        node.close();
    }

    @Test
    void partitionsLedOnSeveralLoopsAndElsewhereAreEachWrittenOnceAndAnsweredInOrder() throws Exception {
        List<PartitionAssignment> partitions = new ArrayList<>();
        for (int p = 0; p < LOCAL; p++) {
            partitions.add(new PartitionAssignment(p, List.of("n1"), "n1", 1, List.of("n1")));
        }
        partitions.add(new PartitionAssignment(LOCAL, List.of("n2"), "n2", 1, List.of("n2")));
        ClusterMetadata metadata = new ClusterMetadata(1, 1, Map.of(TOPIC, new TopicMetadata(TOPIC, "id", Map.of(), partitions)));
        node = LocalReplicas.start(dataDir, BrokerSettings.defaults(), metadata);
        Set<Object> loops = new HashSet<>();
        for (int p = 0; p < LOCAL; p++) {
            loops.add(node.replica(new TopicPartition(TOPIC, p)).eventLoop());
        }
        assertTrue(loops.size() > 1, "the replicas run on several event loops");
        // The partition led by n2 is answered over the bus by n2's replica door.
        AtomicInteger atN2 = new AtomicInteger();
        node.vertx.eventBus().consumer(ReplicaEndpoint.address("n2"), msg -> msg.reply(
                new ProduceResponse(List.of(new BatchResult(100 + atN2.getAndIncrement(), -1, null, null)))));
        PartitionClient client = new PartitionClient(node.vertx, node.cache);
        client.preferLocal("n1", node.manager::local);

        for (int round = 0; round < 3; round++) {
            List<ProduceRequest> requests = new ArrayList<>();
            // Asked in an order that is not the partitions' (two records each for the odd ones).
            for (int p = LOCAL; p >= 0; p--) {
                String[] values = p % 2 == 1 ? new String[]{"a" + p, "b" + p} : new String[]{"a" + p};
                requests.add(new ProduceRequest(new TopicPartition(TOPIC, p), List.of(LogTestSupport.batch(1, values)),
                        Acks.LEADER, 5_000));
            }
            Promise<List<ProduceResponse>> done = Promise.promise();
            node.vertx.runOnContext(v -> Future.all(client.produceAll(requests))
                    .map(all -> all.<ProduceResponse>list()).onComplete(done));
            List<ProduceResponse> answers = Await.result(done.future());
            assertEquals(requests.size(), answers.size());
            for (int i = 0; i < requests.size(); i++) {
                int p = requests.get(i).tp().partition();
                long expected = p == LOCAL ? 100 + round : (p % 2 == 1 ? 2L * round : round);
                assertEquals(expected, answers.get(i).results().get(0).firstOffset(), "partition " + p + " in round " + round);
            }
        }
        assertEquals(3, atN2.get(), "the partition led elsewhere went over the bus, once a round");
        for (int p = 0; p < LOCAL; p++) {
            assertEquals(p % 2 == 1 ? 6 : 3, node.replica(new TopicPartition(TOPIC, p)).highWatermark(), "partition " + p);
        }
    }
}

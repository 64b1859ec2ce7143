package io.sluice.partition;

import io.sluice.bus.Acks;
import io.sluice.bus.ProduceRequest;
import io.sluice.bus.ProduceResponse;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.config.BrokerSettings;
import io.sluice.log.LogTestSupport;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A write that requires a leader epoch is taken only in that epoch. The long soak found why it is
 * needed: a group coordinator deposed by a bridge partition had an offset commit in flight; the
 * produce was refused by its own replica (no longer leader), retried by the partition client at the
 * next leader, and written there after the next coordinator had loaded the partition, which never
 * saw it: the member was told "committed", and every later read served the offset before it.
 */
class EpochFencedProduceTest {
    private static final TopicPartition TP = new TopicPartition("__consumer_offsets", 0);

    @TempDir
    Path dataDir;
    private LocalReplicas node;

    @AfterEach
    void close() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aWriteRequiringAnotherLeaderEpochIsRefusedAndNotWritten() throws Exception {
        node = LocalReplicas.start(dataDir, BrokerSettings.defaults(),
                LocalReplicas.oneTopic(1, TP, Map.of(), new PartitionAssignment(0, List.of("n1"), "n1", 3, List.of("n1"))));
        PartitionVerticle replica = node.replica(TP);

        ProduceResponse inEpoch = produce(replica, request("a").inEpoch(3));
        assertEquals(0, inEpoch.results().get(0).firstOffset());

        ExecutionException stale = assertThrows(ExecutionException.class, () -> produce(replica, request("b").inEpoch(2)));
        SluiceException fenced = assertInstanceOf(SluiceException.class, stale.getCause());
        assertEquals(ErrorCode.FENCED_LEADER_EPOCH, fenced.code());
        assertThrows(ExecutionException.class, () -> produce(replica, request("c").inEpoch(4)), "nor a later epoch");

        ProduceResponse any = produce(replica, request("d"));
        assertEquals(1, any.results().get(0).firstOffset(), "the refused writes left nothing in the log");
    }

    @Test
    void theRequiredEpochTravelsOverTheBus() {
        ProduceRequest.Codec codec = new ProduceRequest.Codec();
        Buffer wire = Buffer.buffer();
        codec.encodeToWire(wire, request("x").inEpoch(7));
        assertEquals(7, codec.decodeFromWire(0, wire).leaderEpoch());
        Buffer unfenced = Buffer.buffer();
        codec.encodeToWire(unfenced, request("y"));
        assertEquals(ProduceRequest.ANY_EPOCH, codec.decodeFromWire(0, unfenced).leaderEpoch());
    }

    private static ProduceRequest request(String value) {
        return new ProduceRequest(TP, List.of(LogTestSupport.batch(1, value)), Acks.ALL, 5_000);
    }

    private static ProduceResponse produce(PartitionVerticle replica, ProduceRequest req) throws Exception {
        Promise<Object> answered = Promise.promise();
        replica.call(req, answered);
        return (ProduceResponse) answered.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}

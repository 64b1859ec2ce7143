package io.sluice.produce;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keys land on the same partitions as with Kafka's own producer (kafka-clients 4.4). */
class PartitionerTest {
    @Test
    void murmur2MatchesKafkaForRandomKeysOfEveryLengthAndAnyOffset() {
        Random random = new Random(20261125L);
        for (int i = 0; i < 20_000; i++) {
            byte[] key = new byte[random.nextInt(64)];
            random.nextBytes(key);
            assertEquals(Utils.murmur2(key), Partitioner.murmur2(key, 0, key.length));
            byte[] padded = new byte[key.length + 7];
            System.arraycopy(key, 0, padded, 3, key.length);
            assertEquals(Utils.murmur2(key), Partitioner.murmur2(padded, 3, key.length), "slices hash like whole arrays");
        }
    }

    @Test
    void partitionForKeyMatchesKafkasDefaultPartitioner() {
        Random random = new Random(7);
        for (int partitions : new int[] {1, 2, 3, 6, 7, 12, 50, 1000}) {
            for (int i = 0; i < 2_000; i++) {
                byte[] key = ("user-" + random.nextInt(1_000_000)).getBytes(StandardCharsets.UTF_8);
                assertEquals(BuiltInPartitioner.partitionForKey(key, partitions),
                        Partitioner.partitionForKey(key, 0, key.length, partitions));
            }
        }
        // As stored in the json format, the key "user-42" is the 9 bytes with its quotes.
        byte[] jsonKey = "\"user-42\"".getBytes(StandardCharsets.UTF_8);
        assertEquals(BuiltInPartitioner.partitionForKey(jsonKey, 6), Partitioner.partitionForKey(jsonKey, 0, 9, 6));
    }

    @Test
    void toPositiveClearsTheSignBitLikeKafka() {
        for (int n : new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, -123456}) {
            assertEquals(Utils.toPositive(n), Partitioner.toPositive(n));
        }
    }
}

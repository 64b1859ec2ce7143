package io.sluice.produce;

/**
 * Kafka's default partitioner for keyed records: {@code toPositive(murmur2(key)) % partitions},
 * bit for bit, so that a key lands on the same partition number as it would with a Kafka
 * producer. MurmurHash2 with Kafka's seed, little-endian blocks.
 */
public final class Partitioner {
    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private Partitioner() {
    }

    public static int partitionForKey(byte[] key, int offset, int length, int partitions) {
        return toPositive(murmur2(key, offset, length)) % partitions;
    }

    /** Kafka's {@code Utils.toPositive}: clears the sign bit (not {@code Math.abs}). */
    public static int toPositive(int n) {
        return n & 0x7fffffff;
    }

    public static int murmur2(byte[] data, int offset, int length) {
        int h = SEED ^ length;
        int blocks = length / 4;
        for (int i = 0; i < blocks; i++) {
            int p = offset + i * 4;
            int k = (data[p] & 0xff) | ((data[p + 1] & 0xff) << 8) | ((data[p + 2] & 0xff) << 16) | ((data[p + 3] & 0xff) << 24);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        int tail = offset + (length & ~3);
        switch (length % 4) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[tail] & 0xff;
                h *= M;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }
}

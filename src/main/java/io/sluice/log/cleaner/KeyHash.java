package io.sluice.log.cleaner;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A 128-bit hash of record keys (the MurmurHash3 x64/128 construction), read straight from the
 * batch buffer. Compaction identifies keys by it instead of keeping the keys themselves: a
 * collision between two live keys is about 2^-64 likely even at millions of keys, and it lets the
 * offset map hold a fixed number of fixed-size entries.
 */
final class KeyHash {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    long h1;
    long h2;

    /** Hashes {@code length} bytes of {@code buf} from absolute position {@code pos}. */
    KeyHash compute(ByteBuffer buf, int pos, int length) {
        ByteBuffer le = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long a = 0x9747b28cL;
        long b = 0x9747b28cL;
        int blocks = length >>> 4;
        for (int i = 0; i < blocks; i++) {
            long k1 = le.getLong(pos + i * 16);
            long k2 = le.getLong(pos + i * 16 + 8);
            a ^= mixK1(k1);
            a = Long.rotateLeft(a, 27) + b;
            a = a * 5 + 0x52dce729;
            b ^= mixK2(k2);
            b = Long.rotateLeft(b, 31) + a;
            b = b * 5 + 0x38495ab5;
        }
        int tail = pos + blocks * 16;
        int rem = length & 15;
        long k1 = 0;
        long k2 = 0;
        for (int i = rem - 1; i >= 8; i--) {
            k2 = (k2 << 8) | (buf.get(tail + i) & 0xffL);
        }
        for (int i = Math.min(rem, 8) - 1; i >= 0; i--) {
            k1 = (k1 << 8) | (buf.get(tail + i) & 0xffL);
        }
        if (rem > 8) {
            b ^= mixK2(k2);
        }
        if (rem > 0) {
            a ^= mixK1(k1);
        }
        a ^= length;
        b ^= length;
        a += b;
        b += a;
        a = fmix(a);
        b = fmix(b);
        a += b;
        b += a;
        h1 = a;
        h2 = b;
        return this;
    }

    private static long mixK1(long k) {
        k *= C1;
        k = Long.rotateLeft(k, 31);
        return k * C2;
    }

    private static long mixK2(long k) {
        k *= C2;
        k = Long.rotateLeft(k, 33);
        return k * C1;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}

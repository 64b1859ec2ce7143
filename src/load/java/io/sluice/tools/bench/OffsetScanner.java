package io.sluice.tools.bench;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;

/**
 * Counts the records of a {@code records} frame without parsing its JSON: finds every
 * {@code "offset":} in the raw bytes and reads the number after it, and each number must be the
 * previous one plus one (the partition's offsets are contiguous; a topic written only by this
 * tool has no gaps). The pattern cannot occur inside a value: a JSON string escapes its quotes,
 * and the tool's records have no headers or object values.
 *
 * <p>Why a Boyer-Moore-Horspool search rather than a byte-by-byte matcher: the consumer's
 * benchmark reads more than a million records a second on one thread of a two-core machine, and
 * looking at every byte of every frame made the tool, not the broker, the limit. The search
 * skips up to the pattern's length at each step, looking at about one byte in six.
 */
final class OffsetScanner {
    private static final byte[] PATTERN = Messages.ascii("\"offset\":");
    /** Horspool's shift per byte value: how far the pattern may move when that byte ends the window. */
    private static final int[] SHIFT = new int[256];

    static {
        java.util.Arrays.fill(SHIFT, PATTERN.length);
        for (int i = 0; i < PATTERN.length - 1; i++) {
            SHIFT[PATTERN[i] & 0xff] = PATTERN.length - 1 - i;
        }
    }

    private int count;
    private long expected;
    private long firstBad = -1;

    /** Starts a frame whose first record must have offset {@code expectedFirst}. */
    void begin(long expectedFirst) {
        count = 0;
        expected = expectedFirst;
        firstBad = -1;
    }

    /** Scans the readable bytes of {@code frame} (a whole message). */
    void scan(ByteBuf frame) {
        // (Read in place, heap or direct: the search looks at few of the bytes, a copy would touch all.)
        ByteBuffer bytes = frame.nioBuffer();
        int m = PATTERN.length;
        int last = m - 1;
        int to = bytes.limit();
        int i = bytes.position();
        while (i + m <= to) {
            byte end = bytes.get(i + last);
            if (end == PATTERN[last] && matchesAt(bytes, i)) {
                i = readNumber(bytes, i + m, to);
            } else {
                i += SHIFT[end & 0xff];
            }
        }
    }

    private static boolean matchesAt(ByteBuffer bytes, int at) {
        for (int k = PATTERN.length - 2; k >= 0; k--) {
            if (bytes.get(at + k) != PATTERN[k]) {
                return false;
            }
        }
        return true;
    }

    /** Reads the offset's digits from {@code at}; returns where the search goes on. */
    private int readNumber(ByteBuffer bytes, int at, int to) {
        long number = 0;
        int i = at;
        byte b;
        while (i < to && (b = bytes.get(i)) >= '0' && b <= '9') {
            number = number * 10 + (b - '0');
            i++;
        }
        if (i == at) {
            return i; // (no digits: not a record's offset)
        }
        if (number != expected && firstBad < 0) {
            firstBad = number;
        }
        expected = number + 1;
        count++;
        return i;
    }

    /** Records in the frame so far. */
    int count() {
        return count;
    }

    /** The offset the next record must have. */
    long next() {
        return expected;
    }

    /** The first offset that broke the sequence, or -1 if none did. */
    long firstBad() {
        return firstBad;
    }
}

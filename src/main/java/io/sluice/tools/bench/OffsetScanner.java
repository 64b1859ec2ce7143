package io.sluice.tools.bench;

import io.netty.util.ByteProcessor;

/**
 * Counts the records of a {@code records} frame without parsing its JSON: one pass over the
 * raw bytes finds every {@code "offset":} and reads the number after it, and each number must
 * be the previous one plus one (the partition's offsets are contiguous; a topic written only
 * by this tool has no gaps). The pattern cannot occur inside a value: a JSON string escapes
 * its quotes, and the tool's records have no headers or object values.
 */
final class OffsetScanner implements ByteProcessor {
    private static final byte[] PATTERN = Messages.ascii("\"offset\":");

    private int matched;
    private boolean inNumber;
    private long number;
    private int count;
    private long expected;
    private long firstBad = -1;

    /** Starts a frame whose first record must have offset {@code expectedFirst}. */
    void begin(long expectedFirst) {
        matched = 0;
        inNumber = false;
        count = 0;
        expected = expectedFirst;
        firstBad = -1;
    }

    @Override
    public boolean process(byte b) {
        if (inNumber) {
            if (b >= '0' && b <= '9') {
                number = number * 10 + (b - '0');
                return true;
            }
            inNumber = false;
            offset(number);
        }
        if (b == PATTERN[matched]) {
            if (++matched == PATTERN.length) {
                matched = 0;
                inNumber = true;
                number = 0;
            }
        } else {
            // The pattern's only quote that can restart a match is its first byte.
            matched = b == '"' ? 1 : 0;
        }
        return true;
    }

    private void offset(long offset) {
        if (offset != expected && firstBad < 0) {
            firstBad = offset;
        }
        expected = offset + 1;
        count++;
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

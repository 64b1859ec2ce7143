package io.sluice.tools.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The consumer's raw-byte record counter: counts, contiguity checks, and what it must not count. */
class OffsetScannerTest {
    private static String record(long offset, String value) {
        return "{\"topic\":\"t\",\"partition\":0,\"offset\":" + offset + ",\"timestamp\":1700000000000,\"key\":null,"
                + "\"value\":" + value + ",\"headers\":{}}";
    }

    private static OffsetScanner scan(String frame, long expectedFirst) {
        OffsetScanner s = new OffsetScanner();
        s.begin(expectedFirst);
        s.scan(Unpooled.wrappedBuffer(frame.getBytes(StandardCharsets.UTF_8)));
        return s;
    }

    private static String frame(long from, int n, String value) {
        StringBuilder b = new StringBuilder("{\"type\":\"records\",\"records\":[");
        for (int i = 0; i < n; i++) {
            b.append(i > 0 ? "," : "").append(record(from + i, value));
        }
        return b.append("]}").toString();
    }

    @Test
    void countsContiguousRecordsAndTracksTheNextOffset() {
        OffsetScanner s = scan(frame(41, 1000, Payloads.value(100)), 41);
        assertEquals(1000, s.count());
        assertEquals(1041, s.next());
        assertEquals(-1, s.firstBad());
    }

    @Test
    void reportsAGapOrAFrameThatDoesNotStartWhereTheLastEnded() {
        String gap = "{\"type\":\"records\",\"records\":[" + record(5, "1") + "," + record(7, "2") + "]}";
        assertEquals(7, scan(gap, 5).firstBad());
        assertEquals(2, scan(gap, 5).count());
        assertEquals(10, scan(frame(10, 3, "1"), 9).firstBad());
    }

    @Test
    void doesNotCountThePatternInsideStringsOrAfterAFalseStart() {
        // An escaped quote cannot close a JSON string, so "offset": inside a value is never the field.
        String tricky = record(3, "\"a \\\"offset\\\":99 \\\"offset\\\"\"") + "," + record(4, "\"\\\"\\\"offset\\\":\"");
        OffsetScanner s = scan("{\"type\":\"records\",\"records\":[" + tricky + "]}", 3);
        assertEquals(2, s.count());
        assertEquals(-1, s.firstBad());
        // A quote right before the pattern restarts the match: ""offset": is still one field.
        assertEquals(1, scan("{\"\"offset\":7}", 7).count());
        // The field name alone, with no number after it, is not a record.
        assertEquals(0, scan("{\"offset\":}", 7).count());
    }

    @Test
    void readsDirectBuffersAndSlicesAndAnOffsetThatEndsTheBuffer() {
        byte[] bytes = ("xx" + frame(0, 50, Payloads.value(100)) + "yy").getBytes(StandardCharsets.UTF_8);
        ByteBuf direct = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        direct.readerIndex(2).writerIndex(bytes.length - 2);
        OffsetScanner s = new OffsetScanner();
        s.begin(0);
        s.scan(direct);
        assertEquals(50, s.count());
        assertEquals(50, s.next());
        assertEquals(-1, s.firstBad());
        direct.release();

        // A heap slice starts at its own offset in the shared array; the last number runs to the end.
        ByteBuf slice = Unpooled.wrappedBuffer(("[junk]\"offset\":12,\"offset\":13").getBytes(StandardCharsets.UTF_8)).slice(6, 23);
        s.begin(12);
        s.scan(slice);
        assertEquals(2, s.count());
        assertEquals(14, s.next());
        assertEquals(-1, s.firstBad());
    }
}

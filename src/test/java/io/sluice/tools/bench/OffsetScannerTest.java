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
        ByteBuf b = Unpooled.wrappedBuffer(frame.getBytes(StandardCharsets.UTF_8));
        b.forEachByte(s);
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
    }
}

package io.sluice.partition;

import io.sluice.log.LogTestSupport;
import io.sluice.record.RecordBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The leader's cache of its newest batches answers tail fetches exactly as a log read would. */
class TailCacheTest {
    /** A budget no test here reaches, but the last one. */
    private static final TailCacheBudget UNLIMITED = new TailCacheBudget(Long.MAX_VALUE / 2);

    /** A batch of {@code count} records stamped at {@code base}, as the log leaves it after an append. */
    private static RecordBatch at(long base, int count) {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = "v" + (base + i);
        }
        RecordBatch b = LogTestSupport.batch(1_000, values);
        b.setBaseOffset(base);
        b.updateCrc();
        return b;
    }

    /** Base offsets of the batches in {@code data}. */
    private static List<Long> bases(ByteBuffer data) {
        List<Long> out = new ArrayList<>();
        int pos = data.position();
        while (pos < data.limit()) {
            RecordBatch b = RecordBatch.at(data, pos);
            b.validate(true);
            out.add(b.baseOffset());
            pos += b.sizeInBytes();
        }
        return out;
    }

    @Test
    void fetchesAtTheTailAreAnsweredWithWholeBatchesBelowTheBound() {
        TailCache cache = UNLIMITED.open(1 << 20);
        cache.add(at(0, 3));
        cache.add(at(3, 2));
        cache.add(at(5, 4));
        assertEquals(List.of(0L, 3L, 5L), bases(cache.read(0, 1 << 20, 9, 0)));
        assertEquals(List.of(3L, 5L), bases(cache.read(4, 1 << 20, 9, 0)), "from the batch holding the offset");
        assertEquals(List.of(0L, 3L), bases(cache.read(0, 1 << 20, 5, 0)), "a consumer stops at the high watermark");
        assertNull(cache.read(9, 1 << 20, 9, 0), "past the newest batch: not cached");
        assertNull(cache.read(3, 1 << 20, 4, 0), "the batch holding the offset reaches past the bound: the log decides");
    }

    @Test
    void aByteBudgetKeepsAtLeastOneBatch() {
        TailCache cache = UNLIMITED.open(1 << 20);
        RecordBatch a = at(0, 3);
        cache.add(a);
        cache.add(at(3, 3));
        assertEquals(List.of(0L), bases(cache.read(0, a.sizeInBytes(), 6, 0)));
        assertEquals(List.of(0L), bases(cache.read(0, 1, 6, 0)), "one batch even when it is bigger than the budget");
    }

    @Test
    void oldBatchesFallOutAndAGapStartsAgain() {
        RecordBatch sample = at(0, 3);
        TailCache cache = UNLIMITED.open(sample.sizeInBytes() * 2);
        cache.add(at(0, 3));
        cache.add(at(3, 3));
        cache.add(at(6, 3));
        assertNull(cache.read(0, 1 << 20, 9, 0), "the oldest batch was evicted");
        assertEquals(List.of(3L, 6L), bases(cache.read(3, 1 << 20, 9, 0)));
        cache.add(at(20, 3));
        assertNull(cache.read(6, 1 << 20, 23, 0), "a batch that does not follow the newest one restarts the cache");
        assertEquals(List.of(20L), bases(cache.read(20, 1 << 20, 23, 0)));
    }

    @Test
    void thousandsOfSmallBatchesAreFoundAtAnyOffsetWhileTheRingWrapsAndGrows() {
        // (Offsets of six digits: every batch has the same size.)
        RecordBatch sample = at(100_000, 2);
        TailCache cache = UNLIMITED.open(sample.sizeInBytes() * 1000);
        long next = 100_000;
        for (int i = 0; i < 5000; i++) {
            cache.add(at(next, 2));
            next += 2;
            if (i % 97 == 0) {
                long newest = next - 2;
                assertEquals(List.of(newest), bases(cache.read(newest + 1, 1 << 20, next, 0)), "the newest batch, by its last offset");
            }
        }
        long oldest = next - 2 * 1000;
        assertNull(cache.read(oldest - 1, 1 << 20, next, 0), "evicted");
        assertEquals(List.of(oldest, oldest + 2, oldest + 4), bases(cache.read(oldest, sample.sizeInBytes() * 3, next, 0)));
        assertEquals(List.of(next - 6, next - 4, next - 2), bases(cache.read(next - 5, 1 << 20, next, 0)));
        assertEquals(List.of(oldest + 500, oldest + 502), bases(cache.read(oldest + 501, 1 << 20, oldest + 504, 0)),
                "a batch in the middle, up to the bound");
        assertEquals(List.of(next - 4, next - 2), bases(cache.read(next - 4, 1 << 20, next, next - 4)),
                "a segment roll drops the batches before it");
        assertNull(cache.read(next - 6, 1 << 20, next, next - 4));
    }

    @Test
    void onlyBatchesOfTheActiveSegmentAreServed() {
        TailCache cache = UNLIMITED.open(1 << 20);
        cache.add(at(0, 3));
        cache.add(at(3, 3));
        assertNull(cache.read(0, 1 << 20, 6, 3), "rolled away: compaction may have rewritten it");
        assertEquals(List.of(3L), bases(cache.read(3, 1 << 20, 6, 3)));
    }

    @Test
    void leadersShareTheNodesBudgetAndAClosedCacheGivesItsShareBack() {
        RecordBatch sample = at(100_000, 3); // (offsets of six digits: batches of one size)
        TailCacheBudget budget = new TailCacheBudget(sample.sizeInBytes() * 4L);
        TailCache first = budget.open(1 << 20);
        for (int i = 0; i < 4; i++) {
            first.add(at(100_000 + 3L * i, 3));
        }
        assertEquals(List.of(100_000L, 100_003L, 100_006L, 100_009L), bases(first.read(100_000, 1 << 20, 100_012, 0)), "alone, it has the whole budget");
        TailCache second = budget.open(1 << 20);
        assertEquals(2, budget.openCaches());
        first.add(at(100_012, 3));
        assertNull(first.read(100_006, 1 << 20, 100_015, 0), "with a second leader, half: two batches");
        assertEquals(List.of(100_009L, 100_012L), bases(first.read(100_009, 1 << 20, 100_015, 0)));
        second.close();
        second.close();
        assertEquals(1, budget.openCaches(), "closing twice gives the share back once");
        first.add(at(100_015, 3));
        first.add(at(100_018, 3));
        assertEquals(List.of(100_009L, 100_012L, 100_015L, 100_018L), bases(first.read(100_009, 1 << 20, 100_021, 0)), "alone again: four batches");
    }
}

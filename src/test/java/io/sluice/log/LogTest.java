package io.sluice.log;

import io.sluice.log.LogTestSupport.ManualClock;
import io.sluice.log.LogTestSupport.Rec;
import io.sluice.record.Header;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.sluice.log.LogTestSupport.batch;
import static io.sluice.log.LogTestSupport.env;
import static io.sluice.log.LogTestSupport.offsets;
import static io.sluice.log.LogTestSupport.readAll;
import static io.sluice.log.LogTestSupport.sized;
import static io.sluice.log.LogTestSupport.utf8;
import static io.sluice.log.LogTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTest {
    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(1_000_000);

    Log open(LogConfig config) throws IOException {
        return Log.open(dir, config, env(clock));
    }

    @Test
    void appendsGetConsecutiveOffsetsAndReadBack() throws IOException {
        try (Log log = open(LogConfig.DEFAULT)) {
            LogAppendInfo a = log.appendAsLeader(batch(5, "a", "b", "c"), 0);
            LogAppendInfo b = log.appendAsLeader(batch(6, "d"), 0);
            assertEquals(0, a.firstOffset());
            assertEquals(2, a.lastOffset());
            assertEquals(3, b.firstOffset());
            assertEquals(4, log.view().logEndOffset());
            assertEquals(0, log.view().logStartOffset());
            List<Rec> recs = readAll(log);
            assertEquals(List.of("a", "b", "c", "d"), values(recs));
            assertEquals(List.of(0L, 1L, 2L, 3L), offsets(recs));
            assertEquals("k-a", recs.get(0).key());
            assertEquals(5, recs.get(0).timestamp());
            assertEquals(6, recs.get(3).timestamp());
            assertEquals(log.view().size(), Files.size(dir.resolve("00000000000000000000.log")));
        }
    }

    @Test
    void keysHeadersNullsAndTimestampsRoundTrip() throws IOException {
        RecordBatchBuilder b = new RecordBatchBuilder();
        b.append(100, null, utf8("no key"), List.of(Header.of("h1", "v1"), new Header("h2", null)));
        b.append(90, utf8("tomb"), null, List.of());
        b.append(300, new byte[0], new byte[0], List.of());
        try (Log log = open(LogConfig.DEFAULT)) {
            log.appendAsLeader(b.build(), 3);
            List<Rec> recs = readAll(log);
            assertNull(recs.get(0).key());
            assertEquals(List.of(Header.of("h1", "v1"), new Header("h2", null)), recs.get(0).headers());
            assertNull(recs.get(1).value());
            assertEquals(90, recs.get(1).timestamp());
            assertEquals("", recs.get(2).key());
            assertEquals("", recs.get(2).value());
            assertEquals(300, recs.get(2).timestamp());
        }
    }

    @Test
    void readsFromTheMiddleOfABatchSkipEarlierRecordsAndHonourRecordBudget() throws IOException {
        try (Log log = open(LogConfig.DEFAULT)) {
            log.appendAsLeader(batch(1, "a", "b", "c", "d", "e"), 0);
            LogReadResult r = log.view().read(2, 1 << 20, Long.MAX_VALUE, true);
            List<String> seen = new ArrayList<>();
            long next = r.forEachRecord(2, c -> seen.add(LogTestSupport.str(c.valueBytes())));
            assertEquals(List.of("c", "d"), seen);
            assertEquals(4, next);
        }
    }

    @Test
    void readHonoursByteBudgetMaxOffsetAndMinOneBatch() throws IOException {
        try (Log log = open(LogConfig.DEFAULT)) {
            for (int i = 0; i < 10; i++) {
                log.appendAsLeader(sized(1, i * 10, 10, 100), 0);
            }
            int batchSize = log.view().read(0, 1 << 20, Long.MAX_VALUE, true).records().limit() / 10;
            LogReadResult two = log.view().read(0, batchSize * 2 + batchSize / 2, Long.MAX_VALUE, true);
            assertEquals(batchSize * 2, two.records().limit());
            assertEquals(20, two.nextOffset());
            LogReadResult none = log.view().read(0, batchSize - 1, Long.MAX_VALUE, false);
            assertTrue(none.isEmpty());
            LogReadResult forced = log.view().read(0, batchSize - 1, Long.MAX_VALUE, true);
            assertEquals(batchSize, forced.records().limit());
            LogReadResult bounded = log.view().read(15, 1 << 20, 40, true);
            assertEquals(40, bounded.nextOffset(), "batches reaching the bound are left out");
            assertTrue(log.view().read(40, 1 << 20, 40, true).isEmpty());
            assertTrue(log.view().read(100, 1 << 20, Long.MAX_VALUE, true).isEmpty());
            assertThrows(LogException.OffsetOutOfRange.class, () -> log.view().read(101, 100, Long.MAX_VALUE, true));
            assertThrows(LogException.OffsetOutOfRange.class, () -> log.view().read(-1, 100, Long.MAX_VALUE, true));
        }
    }

    @Test
    void rollsBySegmentBytesAndReadsAcrossSegments() throws IOException {
        LogConfig cfg = LogConfig.builder().segmentBytes(4096).indexIntervalBytes(256).build();
        try (Log log = open(cfg)) {
            for (int i = 0; i < 200; i++) {
                log.appendAsLeader(sized(1, i * 5, 5, 60), 0);
            }
            assertTrue(log.view().segmentCount() > 10, "segments: " + log.view().segmentCount());
            for (long base : log.view().segmentBaseOffsets()) {
                assertTrue(Files.exists(dir.resolve(SegmentFiles.filenamePrefix(base) + ".log")));
            }
            List<Rec> recs = readAll(log);
            assertEquals(1000, recs.size());
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, recs.get(i).offset());
                assertTrue(recs.get(i).value().startsWith("v" + i + "x"), recs.get(i).value());
            }
            // Random access through the sparse index lands on the right record.
            for (int target : new int[] {0, 1, 499, 500, 777, 999}) {
                List<Rec> one = new ArrayList<>();
                log.view().read(target, 1 << 16, Long.MAX_VALUE, true).forEachRecord(1,
                        c -> one.add(new Rec(c.offset(), 0, null, null, List.of())));
                assertEquals(target, one.get(0).offset());
            }
        }
    }

    @Test
    void rollsBySegmentMs() throws IOException {
        LogConfig cfg = LogConfig.builder().segmentMs(60_000).build();
        try (Log log = open(cfg)) {
            log.appendAsLeader(batch(clock.now(), "a"), 0);
            clock.advance(59_999);
            log.appendAsLeader(batch(clock.now(), "b"), 0);
            assertEquals(1, log.view().segmentCount());
            clock.advance(1);
            log.appendAsLeader(batch(clock.now(), "c"), 0);
            assertEquals(List.of(0L, 2L), log.view().segmentBaseOffsets());
            assertEquals(List.of("a", "b", "c"), values(readAll(log)));
        }
    }

    @Test
    void findsTheFirstOffsetAtOrAfterATimestamp() throws IOException {
        LogConfig cfg = LogConfig.builder().segmentBytes(2048).indexIntervalBytes(128).build();
        try (Log log = open(cfg)) {
            for (int i = 0; i < 300; i++) {
                log.appendAsLeader(sized(1000 + i * 10L, i, 1, 40), 0);
            }
            assertTrue(log.view().segmentCount() > 3);
            assertEquals(0, log.view().offsetForTimestamp(0));
            assertEquals(0, log.view().offsetForTimestamp(1000));
            assertEquals(1, log.view().offsetForTimestamp(1001));
            assertEquals(150, log.view().offsetForTimestamp(2500));
            assertEquals(299, log.view().offsetForTimestamp(3990));
            assertEquals(-1, log.view().offsetForTimestamp(3991));
        }
    }

    @Test
    void timestampSearchHandlesTimestampsThatGoBackwards() throws IOException {
        try (Log log = open(LogConfig.builder().indexIntervalBytes(0).build())) {
            RecordBatchBuilder b = new RecordBatchBuilder();
            b.append(500, null, utf8("late"), List.of());
            b.append(100, null, utf8("early"), List.of());
            b.append(700, null, utf8("latest"), List.of());
            log.appendAsLeader(b.build(), 0);
            assertEquals(0, log.view().offsetForTimestamp(200));
            assertEquals(2, log.view().offsetForTimestamp(600));
        }
    }

    @Test
    void cleanCloseAndReopenKeepsEverythingWithoutRecovery() throws IOException {
        LogConfig cfg = LogConfig.builder().segmentBytes(4096).build();
        try (Log log = open(cfg)) {
            for (int i = 0; i < 100; i++) {
                log.appendAsLeader(sized(clock.now(), i * 3, 3, 50), 2);
            }
        }
        assertTrue(Files.exists(dir.resolve(".clean-shutdown")));
        try (Log log = open(cfg)) {
            assertTrue(log.recoveredCleanly());
            assertFalse(Files.exists(dir.resolve(".clean-shutdown")), "marker must go once the log is open");
            assertEquals(300, log.view().logEndOffset());
            assertEquals(300, readAll(log).size());
            LogAppendInfo next = log.appendAsLeader(batch(1, "after"), 2);
            assertEquals(300, next.firstOffset());
        }
    }

    @Test
    void missingOrDamagedIndexesAreRebuilt() throws IOException {
        LogConfig cfg = LogConfig.builder().segmentBytes(8192).indexIntervalBytes(100).build();
        try (Log log = open(cfg)) {
            for (int i = 0; i < 300; i++) {
                log.appendAsLeader(sized(1000 + i, i, 1, 50), 0);
            }
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".index") && name.startsWith("0000000000000000000")) {
                    Files.delete(p);
                } else if (name.endsWith(".index")) {
                    Files.write(p, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0});
                } else if (name.endsWith(".timeindex")) {
                    Files.write(p, new byte[] {9, 9, 9});
                }
            }
        }
        try (Log log = open(cfg)) {
            assertEquals(300, log.view().logEndOffset());
            for (int target : new int[] {0, 57, 150, 299}) {
                long[] first = {-1};
                log.view().read(target, 4096, Long.MAX_VALUE, true).forEachRecord(1, c -> first[0] = c.offset());
                assertEquals(target, first[0]);
            }
            assertEquals(200, log.view().offsetForTimestamp(1200));
        }
    }

    @Test
    void rejectsOversizedBatchesAloneInAGroup() throws IOException {
        LogConfig cfg = LogConfig.builder().maxMessageBytes(400).build();
        try (Log log = open(cfg)) {
            List<LogAppendInfo> r = log.appendAsLeader(List.of(batch(1, "ok"), sized(1, 0, 10, 100), batch(1, "ok2")), 0);
            assertTrue(r.get(0).succeeded());
            assertInstanceOf(LogException.RecordTooLarge.class, r.get(1).error());
            assertTrue(r.get(2).succeeded());
            assertEquals(1, r.get(2).firstOffset());
            assertEquals(List.of("ok", "ok2"), values(readAll(log)));
        }
    }

    @Test
    void idempotentProducerRetriesAreStoredOnceEvenAfterReopen() throws IOException {
        try (Log log = open(LogConfig.DEFAULT)) {
            LogAppendInfo first = log.appendAsLeader(producerBatch(7, 0, "a", "b"), 0);
            LogAppendInfo retry = log.appendAsLeader(producerBatch(7, 0, "a", "b"), 0);
            assertTrue(retry.duplicate());
            assertEquals(first.firstOffset(), retry.firstOffset());
            assertEquals(first.lastOffset(), retry.lastOffset());
            log.appendAsLeader(producerBatch(7, 2, "c"), 0);
            LogAppendInfo gap = log.appendAsLeader(producerBatch(7, 9, "x"), 0);
            assertInstanceOf(LogException.OutOfOrderSequence.class, gap.error());
            LogAppendInfo other = log.appendAsLeader(producerBatch(8, 0, "z"), 0);
            assertTrue(other.succeeded());
        }
        try (Log log = open(LogConfig.DEFAULT)) {
            LogAppendInfo again = log.appendAsLeader(producerBatch(7, 2, "c"), 0);
            assertTrue(again.duplicate(), "producer state survives a clean restart");
            assertEquals(2, again.firstOffset());
            assertEquals(List.of("a", "b", "c", "z"), values(readAll(log)));
        }
        Files.delete(dir.resolve(".clean-shutdown"));
        try (var snaps = Files.list(dir)) {
            for (Path p : snaps.filter(p -> p.toString().endsWith(".snapshot")).toList()) {
                Files.delete(p);
            }
        }
        try (Log log = open(LogConfig.DEFAULT)) {
            assertTrue(log.appendAsLeader(producerBatch(7, 0, "a", "b"), 0).duplicate(),
                    "producer state is rebuilt from the log when snapshots are gone");
        }
    }

    @Test
    void theLongestIdleProducerIsForgottenPastTheCap() throws IOException {
        try (Log log = open(LogConfig.builder().maxProducerIds(2).build())) {
            log.appendAsLeader(producerBatch(1, 0, "a"), 0);
            log.appendAsLeader(producerBatch(2, 0, "b"), 0);
            log.appendAsLeader(producerBatch(3, 0, "c"), 0);
            assertTrue(log.appendAsLeader(producerBatch(3, 0, "c"), 0).duplicate(), "a remembered producer's retry");
            assertTrue(log.appendAsLeader(producerBatch(1, 0, "a"), 0).succeeded());
            assertFalse(log.appendAsLeader(producerBatch(2, 0, "b"), 0).duplicate(),
                    "producer 2 was the longest idle when producer 1 came back, so it was forgotten");
        }
    }

    @Test
    void olderProducerEpochIsFenced() throws IOException {
        try (Log log = open(LogConfig.DEFAULT)) {
            RecordBatchBuilder b = new RecordBatchBuilder().producer(5, (short) 2, 0);
            b.append(1, null, utf8("x"), List.of());
            log.appendAsLeader(b.build(), 0);
            RecordBatchBuilder old = new RecordBatchBuilder().producer(5, (short) 1, 1);
            old.append(1, null, utf8("zombie"), List.of());
            assertInstanceOf(LogException.InvalidProducerEpoch.class, log.appendAsLeader(old.build(), 0).error());
        }
    }

    static RecordBatch producerBatch(long pid, int seq, String... values) {
        RecordBatchBuilder b = new RecordBatchBuilder().producer(pid, (short) 0, seq);
        for (String v : values) {
            b.append(1, null, utf8(v), List.of());
        }
        return b.build();
    }

    @Test
    void leaderEpochCacheTracksEpochStartsAndAnswersEndOffsets() throws IOException {
        try (Log log = open(LogConfig.DEFAULT)) {
            log.appendAsLeader(batch(1, "a", "b"), 0);
            log.appendAsLeader(batch(1, "c"), 0);
            log.appendAsLeader(batch(1, "d", "e"), 3);
            log.appendAsLeader(batch(1, "f"), 5);
            LeaderEpochCache cache = log.leaderEpochCache();
            assertEquals(List.of(new LeaderEpochCache.EpochEntry(0, 0), new LeaderEpochCache.EpochEntry(3, 3),
                    new LeaderEpochCache.EpochEntry(5, 5)), cache.entries());
            assertEquals(new LeaderEpochCache.EpochEndOffset(0, 3), cache.endOffsetFor(0, log.view().logEndOffset()));
            assertEquals(new LeaderEpochCache.EpochEndOffset(3, 5), cache.endOffsetFor(4, log.view().logEndOffset()));
            assertEquals(new LeaderEpochCache.EpochEndOffset(5, 6), cache.endOffsetFor(5, log.view().logEndOffset()));
            assertEquals(3, cache.epochForOffset(4));
            log.truncateTo(4);
            assertEquals(3, log.view().logEndOffset(), "the batch holding offset 4 goes whole");
            assertEquals(List.of(new LeaderEpochCache.EpochEntry(0, 0)), cache.entries());
        }
        try (Log log = open(LogConfig.DEFAULT)) {
            assertEquals(List.of(new LeaderEpochCache.EpochEntry(0, 0)), log.leaderEpochCache().entries());
            assertEquals(List.of("a", "b", "c"), values(readAll(log)));
        }
    }

    @Test
    void followerAppendCopiesBatchesVerbatimAndRejectsBadOnes() throws IOException {
        Path leaderDir = dir.resolve("leader");
        Path followerDir = dir.resolve("follower");
        try (Log leader = Log.open(leaderDir, LogConfig.DEFAULT, env(clock));
             Log follower = Log.open(followerDir, LogConfig.DEFAULT, env(clock))) {
            leader.appendAsLeader(batch(1, "a", "b"), 1);
            leader.appendAsLeader(producerBatch(9, 0, "c"), 2);
            ByteBuffer fetched = leader.view().read(0, 1 << 20, Long.MAX_VALUE, true).records();
            LogAppendInfo info = follower.appendAsFollower(fetched.duplicate());
            assertEquals(0, info.firstOffset());
            assertEquals(2, info.lastOffset());
            assertEquals(3, follower.view().logEndOffset());
            assertEquals(values(readAll(leader)), values(readAll(follower)));
            assertEquals(leader.leaderEpochCache().entries(), follower.leaderEpochCache().entries());
            assertEquals(Files.size(leaderDir.resolve("00000000000000000000.log")),
                    Files.size(followerDir.resolve("00000000000000000000.log")));
            assertThrows(LogException.InvalidBatch.class, () -> follower.appendAsFollower(fetched.duplicate()),
                    "batches below the log end are refused");
            leader.appendAsLeader(batch(1, "d"), 2);
            ByteBuffer more = leader.view().read(3, 1 << 20, Long.MAX_VALUE, true).records();
            ByteBuffer corrupt = ByteBuffer.allocate(more.remaining());
            corrupt.put(more.duplicate()).flip();
            corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 0x55));
            assertThrows(LogException.InvalidBatch.class, () -> follower.appendAsFollower(corrupt));
            assertEquals(3, follower.view().logEndOffset(), "nothing of a refused fetch is written");
            follower.appendAsFollower(more);
            assertEquals(List.of("a", "b", "c", "d"), values(readAll(follower)));
            assertTrue(follower.appendAsLeader(producerBatch(9, 0, "c"), 3).duplicate(),
                    "a follower that becomes leader knows the producers it replicated");
        }
    }

    @Test
    void truncateToRemovesTheTailAcrossSegmentsAndAppendsContinue() throws IOException {
        LogConfig cfg = LogConfig.builder().segmentBytes(2048).indexIntervalBytes(64).build();
        try (Log log = open(cfg)) {
            for (int i = 0; i < 100; i++) {
                log.appendAsLeader(sized(1000 + i, i, 1, 60), i < 50 ? 0 : 1);
            }
            int before = log.view().segmentCount();
            log.truncateTo(37);
            assertEquals(37, log.view().logEndOffset());
            assertTrue(log.view().segmentCount() < before);
            assertEquals(IntStream.range(0, 37).mapToObj(i -> (long) i).toList(), offsets(readAll(log)));
            assertEquals(0, log.view().offsetForTimestamp(0));
            assertEquals(36, log.view().offsetForTimestamp(1036));
            assertEquals(-1, log.view().offsetForTimestamp(1037));
            assertEquals(List.of(new LeaderEpochCache.EpochEntry(0, 0)), log.leaderEpochCache().entries());
            log.appendAsLeader(batch(5000, "new"), 2);
            assertEquals(37, log.view().offsetForTimestamp(5000));
            log.truncateFullyAndStartAt(500);
            assertEquals(500, log.view().logStartOffset());
            assertEquals(500, log.view().logEndOffset());
            assertEquals(500, log.appendAsLeader(batch(1, "fresh"), 3).firstOffset());
        }
        try (Log log = open(cfg)) {
            assertEquals(500, log.view().logStartOffset());
            assertEquals(List.of("fresh"), values(readAll(log)));
        }
    }

    @Test
    void closedLogRefusesWrites() throws IOException {
        Log log = open(LogConfig.DEFAULT);
        log.close();
        assertThrows(LogException.class, () -> log.appendAsLeader(batch(1, "x"), 0));
    }

    @Test
    void batchFormatDetectsCorruptionAnywhereAfterTheCrc() {
        RecordBatch b = batch(1, "a", "b");
        b.updateCrc();
        b.validate(true);
        for (int pos = 0; pos < b.sizeInBytes(); pos++) {
            if (pos >= RecordBatch.CRC && pos < RecordBatch.CRC_START) {
                continue;
            }
            RecordBatch copy = copy(b);
            copy.buffer().put(pos, (byte) (copy.buffer().get(pos) ^ 1));
            assertFalse(copy.isCrcValid(), "flip at " + pos);
        }
        byte[] arr = new byte[b.sizeInBytes()];
        b.buffer().get(0, arr);
        assertArrayEquals(arr, copyBytes(copy(b)));
    }

    private static RecordBatch copy(RecordBatch b) {
        ByteBuffer c = ByteBuffer.allocate(b.sizeInBytes());
        c.put(0, b.buffer(), b.start(), b.sizeInBytes());
        return RecordBatch.at(c, 0);
    }

    private static byte[] copyBytes(RecordBatch b) {
        byte[] out = new byte[b.sizeInBytes()];
        b.buffer().get(b.start(), out);
        return out;
    }
}

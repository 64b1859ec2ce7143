package io.sluice.partition;

import io.sluice.bus.TopicPartition;
import io.sluice.log.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kafka's checkpoint format, written crash-safely; and the high watermarks kept in it. */
class OffsetCheckpointFileTest {
    @TempDir
    Path dir;

    @Test
    void writesKafkasFormat() throws Exception {
        OffsetCheckpointFile file = new OffsetCheckpointFile(dir.resolve("replication-offset-checkpoint"));
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        offsets.put(new TopicPartition("clicks", 0), 1200L);
        offsets.put(new TopicPartition("a.b-c_d", 11), 0L);
        file.write(offsets);
        assertEquals(List.of("0", "2", "clicks 0 1200", "a.b-c_d 11 0"),
                Files.readAllLines(file.path(), StandardCharsets.UTF_8));
        assertEquals(offsets, file.read());
        assertFalse(Files.exists(dir.resolve("replication-offset-checkpoint" + AtomicFiles.TMP_SUFFIX)), "no temporary left");
    }

    @Test
    void aCrashBeforeTheRenameLeavesTheOldContent() throws Exception {
        OffsetCheckpointFile file = new OffsetCheckpointFile(dir.resolve("replication-offset-checkpoint"));
        file.write(Map.of(new TopicPartition("t", 0), 5L));
        // What a crash between writing the temporary and renaming it leaves: a torn temporary.
        Files.writeString(dir.resolve("replication-offset-checkpoint" + AtomicFiles.TMP_SUFFIX), "0\n3\nt 0 9\nt 1");
        assertEquals(Map.of(new TopicPartition("t", 0), 5L), file.read());
        file.write(Map.of(new TopicPartition("t", 0), 7L));
        assertEquals(Map.of(new TopicPartition("t", 0), 7L), file.read());
    }

    @Test
    void anAbsentOrMalformedFileReadsAsEmpty() throws Exception {
        Path path = dir.resolve("replication-offset-checkpoint");
        OffsetCheckpointFile file = new OffsetCheckpointFile(path);
        assertEquals(Map.of(), file.read());
        for (String bad : List.of("", "1\n1\nt 0 5\n", "0\n2\nt 0 5\n", "0\n1\nt 0\n", "0\n1\nt x 5\n")) {
            Files.writeString(path, bad);
            assertEquals(Map.of(), file.read(), "for " + bad.replace("\n", "\\n"));
        }
    }

    @Test
    void checkpointsWriteOnlyWhatMovedAndKeepPartitionsNotYetStarted() throws Exception {
        HighWatermarkCheckpoints first = new HighWatermarkCheckpoints(dir);
        first.load();
        TopicPartition a = new TopicPartition("t", 0);
        TopicPartition b = new TopicPartition("t", 1);
        assertTrue(first.checkpoint(Map.of(a, 10L, b, 20L)));
        assertFalse(first.checkpoint(Map.of(a, 10L, b, 20L)), "nothing moved: no write");

        HighWatermarkCheckpoints restarted = new HighWatermarkCheckpoints(dir);
        restarted.load();
        assertEquals(10, restarted.recovered(a, dir.resolve("t-0")));
        // Only a's replica runs yet: b keeps its checkpointed high watermark.
        assertTrue(restarted.checkpoint(Map.of(a, 11L)));
        assertEquals(Map.of(a, 11L, b, 20L), new OffsetCheckpointFile(dir.resolve(HighWatermarkCheckpoints.FILE_NAME)).read());
        // b's log was deleted: it leaves the file.
        restarted.forget(b);
        assertTrue(restarted.checkpoint(Map.of(a, 11L)));
        assertEquals(Map.of(a, 11L), new OffsetCheckpointFile(dir.resolve(HighWatermarkCheckpoints.FILE_NAME)).read());
    }

    @Test
    void aPartitionMissingFromTheFileTakesTheFileOfEarlierVersions() throws Exception {
        Path logDir = Files.createDirectories(dir.resolve("old-0"));
        Files.writeString(logDir.resolve(HighWatermarkCheckpoints.LEGACY_FILE), "42");
        HighWatermarkCheckpoints checkpoints = new HighWatermarkCheckpoints(dir);
        checkpoints.load();
        assertEquals(42, checkpoints.recovered(new TopicPartition("old", 0), logDir));
        assertEquals(0, checkpoints.recovered(new TopicPartition("new", 0), Files.createDirectories(dir.resolve("new-0"))));
    }
}

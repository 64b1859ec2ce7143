package io.sluice.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage room's ownership rule, checked on the compiled code rather than described: a log
 * changes only through its {@link LogWriter}. The log class itself is not visible outside
 * {@code io.sluice.log} (nor are the mechanics it is made of: {@link LocalLog}, a segment's
 * indexes, files and scans), no compiled class outside that package names them or any of their members
 * (calls, method references and lambdas all leave their target in the constant pool), and what
 * outsiders do get (the {@link LogView}, the segments it lists, the epoch cache) offers reads
 * only. Scans every class under {@code target/classes}; {@code io.sluice.log.cleaner} counts as
 * outside, as it should: the cleaner reads a view and hands its result to the writer.
 */
class OnlyTheWriterChangesALogTest {
    private static final String ROOM = "io/sluice/log";
    private static final String LOG = ROOM + "/Log";
    /**
     * The log and the mechanics it is made of (its segment list, its read-only face, a segment's
     * indexes, files and scans): none of them may be reached from outside the room either.
     */
    private static final List<Class<?>> ROOM_ONLY = List.of(Log.class, LocalLog.class, ReadOnlyLog.class,
            RollAndFlushPolicy.class, SegmentIndexes.class, SegmentFiles.class, FileBatches.class);
    private static final Set<String> ROOM_ONLY_NAMES = ROOM_ONLY.stream()
            .map(c -> c.getName().replace('.', '/')).collect(Collectors.toSet());

    /** What a reader may ask of a log; a change here is a change to the ownership rule. */
    private static final Set<String> VIEW_READS = Set.of("dir", "config", "stats", "logStartOffset", "logEndOffset",
            "recoveryPoint", "cleanerCheckpoint", "size", "segmentCount", "segmentBaseOffsets", "segments",
            "activeSegmentBaseOffset", "leaderEpochCache", "recoveredCleanly", "recoveryTruncatedBytes", "read",
            "offsetForTimestamp");
    private static final Set<String> SEGMENT_READS = Set.of("baseOffset", "size", "nextOffset", "maxTimestamp",
            "forEachBatch");
    private static final Set<String> EPOCH_READS = Set.of("entries", "latestEpoch", "endOffsetFor", "epochForOffset");

    @TempDir
    Path dir;

    static Path compiledClasses() throws URISyntaxException {
        return Path.of(LogWriter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static List<ClassFileReferences> scan(Path root) throws IOException {
        List<ClassFileReferences> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                out.add(ClassFileReferences.read(f));
            }
        }
        return out;
    }

    /**
     * Every way {@code c} can reach the log class or the mechanics under it: by naming one, or by
     * using one of its members.
     */
    static List<String> reachesTheLog(ClassFileReferences c) {
        List<String> found = new ArrayList<>();
        for (String own : ROOM_ONLY_NAMES) {
            for (String name : c.classes()) {
                if (name.equals(own) || name.startsWith(own + "$") || name.contains("L" + own + ";")) {
                    found.add(c.className() + " names " + name);
                }
            }
            for (ClassFileReferences.Member m : c.members()) {
                if (m.owner().equals(own) || m.owner().startsWith(own + "$")) {
                    found.add(c.className() + " uses " + m);
                }
            }
            for (String text : c.texts()) {
                if (text.contains("L" + own + ";") || text.contains("L" + own + "$")) {
                    found.add(c.className() + " has a member typed " + text);
                }
            }
        }
        return found;
    }

    @Test
    void noClassOutsideTheStorageRoomCanReachTheLogOrItsMutators() throws Exception {
        List<ClassFileReferences> classes = scan(compiledClasses());
        List<ClassFileReferences> outside = classes.stream().filter(c -> !c.packageName().equals(ROOM)).toList();
        assertTrue(outside.size() > 100, "scanned the broker's classes: " + outside.size());

        List<String> violations = new ArrayList<>();
        for (ClassFileReferences c : outside) {
            violations.addAll(reachesTheLog(c));
            for (ClassFileReferences.Member m : c.members()) {
                if (m.owner().equals(ROOM + "/LogSegment") && !SEGMENT_READS.contains(m.name())) {
                    violations.add(c.className() + " changes a segment: " + m);
                }
                if (m.owner().equals(ROOM + "/LeaderEpochCache") && !EPOCH_READS.contains(m.name())) {
                    violations.add(c.className() + " changes the epoch cache: " + m);
                }
            }
        }
        assertEquals(List.of(), violations, "only the LogWriter may change a log");

        // The scan sees what the broker does: the partition and the cleaner go through the writer.
        assertTrue(uses(classes, "io/sluice/partition/LeaderAppends", ROOM + "/LogWriter", "tryAppendInline"));
        assertTrue(uses(classes, "io/sluice/partition/FollowerFetcher", ROOM + "/LogWriter", "truncateTo"));
        assertTrue(uses(classes, "io/sluice/log/cleaner/Cleaner", ROOM + "/LogWriter", "replaceSegments"));
    }

    @Test
    void theScanFindsACallToALogMutatorWhereThereIsOne() throws Exception {
        // The writer itself, inside the room, calls the log: a scan that missed this would prove nothing.
        ClassFileReferences writer = ClassFileReferences.read(compiledClasses().resolve(ROOM + "/LogWriter.class"));
        List<String> found = reachesTheLog(writer);
        assertTrue(found.stream().anyMatch(f -> f.contains("io.sluice.log.Log.appendAsLeader(")), found.toString());
        assertTrue(found.stream().anyMatch(f -> f.contains("io.sluice.log.Log.truncateTo(")), found.toString());
        // A method reference counts too (LogWriter.flushIfDue hands over log::flushIfDue).
        assertTrue(found.stream().anyMatch(f -> f.contains("io.sluice.log.Log.flushIfDue(")), found.toString());
        // And the mechanics under the log: the log itself reaches its segment list.
        ClassFileReferences log = ClassFileReferences.read(compiledClasses().resolve(ROOM + "/Log.class"));
        assertTrue(reachesTheLog(log).stream().anyMatch(f -> f.contains("io.sluice.log.LocalLog.truncateTo(")),
                reachesTheLog(log).toString());
    }

    @Test
    void theLogIsNotPublicAndWhatReadersGetOnlyReads() throws Exception {
        for (Class<?> own : ROOM_ONLY) {
            assertFalse(Modifier.isPublic(own.getModifiers()), own.getSimpleName() + " is the storage room's own");
        }
        for (Method m : Log.class.getDeclaredMethods()) {
            boolean read = VIEW_READS.contains(m.getName());
            if (Modifier.isPublic(m.getModifiers()) && !read) {
                // (Public only to implement an interface; unreachable while the class is not public.)
                assertTrue(Set.of("close", "toString").contains(m.getName()), "public mutator " + m);
            }
        }
        assertEquals(VIEW_READS, publicMethodNames(LogView.class), "the view offers reads only");
        assertEquals(SEGMENT_READS, publicMethodNames(LogSegment.class), "a segment is read-only outside the room");
        assertEquals(EPOCH_READS, publicMethodNames(LeaderEpochCache.class), "the epoch cache is read-only outside the room");

        LogWriter writer = LogWriter.open(dir, LogConfig.DEFAULT, LogEnvironment.defaults(), Runnable::run);
        LogView view = writer.log();
        assertFalse(view instanceof AutoCloseable, "the view cannot be cast to something that closes the log");
        assertFalse(LogView.class.isAssignableFrom(Log.class), "the log is not a view: readers cannot be handed it");
        assertEquals(ReadOnlyLog.class, view.getClass(), "the view is the log's read-only face");
        writer.close().join();
    }

    private static Set<String> publicMethodNames(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
                .map(Method::getName)
                .filter(n -> !n.equals("toString") && !n.equals("hashCode") && !n.equals("equals"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean uses(List<ClassFileReferences> classes, String user, String owner, String member) {
        return classes.stream().filter(c -> c.className().equals(user))
                .anyMatch(c -> c.members().stream().anyMatch(m -> m.owner().equals(owner) && m.name().equals(member)));
    }
}

package io.sluice.fault;

import io.sluice.log.LogView;
import io.sluice.log.LogConfig;
import io.sluice.log.LogEnvironment;
import io.sluice.log.LogTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.sluice.log.LogTestSupport.batch;
import static io.sluice.log.LogTestSupport.offsets;
import static io.sluice.log.LogTestSupport.readAll;
import static io.sluice.log.LogTestSupport.values;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The power-loss layer: what is fsynced survives a cut, what is not is gone, on plain files, on
 * renamed, truncated, sparse and memory-mapped ones, under concurrency, and under Sluice's own
 * {@link Log}. Every test compares the mount, and the backing directory, with what must be there.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung FUSE call fails, and @AfterEach unmounts
class LossyFsTest {
    private static final long SEED = Long.getLong("sluice.test.seed", 20261207L);
    /** The logs' clock and record timestamps: fixed, so no segment rolls by age. */
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path tmp;

    LossyFs fs;
    Path mnt;
    Path backing;

    @BeforeEach
    void mount() throws IOException {
        LossyFs.assumeAvailable();
        fs = LossyFs.mount(tmp.resolve("backing"), tmp.resolve("mnt"));
        mnt = fs.mountPoint();
        backing = fs.backingDir();
    }

    @AfterEach
    void unmount() {
        if (fs != null) {
            fs.close();
            assertFalse(LossyFs.isMounted(mnt), "unmounted after close");
            assertFalse(fs.wasBusyAtClose(), "the test left files open on the mount");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void writeForced(Path p, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(p, CREATE, WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            write(ch, content, 0);
            ch.force(true);
        }
    }

    private static void write(FileChannel ch, byte[] content, long pos) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(content);
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    // ---------------------------------------------------------------- basics

    @Test
    void unsyncedWritesAreLostOnPowerCut() throws IOException {
        Path fresh = mnt.resolve("fresh");
        Files.write(fresh, bytes("never forced"));
        assertEquals("never forced", Files.readString(fresh), "the writer reads its own unsynced data");
        assertEquals(12, Files.size(fresh), "stat shows the unsynced size");
        assertEquals(0, Files.size(backing.resolve("fresh")), "nothing reached the backing file");
        Path old = mnt.resolve("old");
        writeForced(old, bytes("old content that is longer"));
        Files.write(old, bytes("new")); // O_TRUNC + write, no fsync
        assertEquals("new", Files.readString(old));
        LossyFs.Status before = fs.status();
        assertEquals(2, before.dirtyFiles());
        assertEquals(15, before.dirtyBytes());

        fs.powerCut();

        assertTrue(Files.exists(fresh), "the create itself is not simulated as lost");
        assertEquals(0, Files.size(fresh));
        assertArrayEquals(new byte[0], Files.readAllBytes(fresh));
        assertEquals("old content that is longer", Files.readString(old), "truncation and write both undone");
        assertEquals(0, fs.status().dirtyFiles());
        assertEquals(1, fs.status().cuts());
    }

    @Test
    void forcedWritesSurvive() throws IOException {
        Path a = mnt.resolve("a");
        Path b = mnt.resolve("b");
        try (FileChannel ch = FileChannel.open(a, CREATE_NEW, WRITE)) {
            write(ch, bytes("fsync"), 0);
            ch.force(true);
        }
        try (FileChannel ch = FileChannel.open(b, CREATE_NEW, WRITE)) {
            write(ch, bytes("fdatasync"), 0);
            ch.force(false);
        }
        assertEquals("fsync", Files.readString(backing.resolve("a")), "fsync wrote the backing file");
        assertEquals("fdatasync", Files.readString(backing.resolve("b")));
        assertEquals(0, fs.status().dirtyBytes());

        fs.powerCut();

        assertEquals("fsync", Files.readString(a));
        assertEquals("fdatasync", Files.readString(b));
    }

    @Test
    void exactlyTheForcedPrefixSurvives() throws IOException {
        Path f = mnt.resolve("seg");
        byte[] all = new byte[10_000];
        new Random(SEED).nextBytes(all);
        try (FileChannel ch = FileChannel.open(f, CREATE_NEW, READ, WRITE)) {
            for (int i = 0; i < 10; i++) {
                write(ch, Arrays.copyOfRange(all, i * 1000, i * 1000 + 1000), i * 1000L);
                if (i == 4) {
                    ch.force(true);
                }
            }
            write(ch, bytes("OVERWRITE"), 100); // inside the forced part, not forced itself
            assertEquals(10_000, ch.size());
            assertEquals(5000, Files.size(backing.resolve("seg")));

            fs.powerCut();

            assertEquals(5000, ch.size(), "the open handle sees the durable size");
            assertArrayEquals(Arrays.copyOf(all, 5000), Files.readAllBytes(f));
            ByteBuffer viaHandle = ByteBuffer.allocate(6000);
            while (ch.read(viaHandle, viaHandle.position()) > 0) {
                // read to the end
            }
            assertArrayEquals(Arrays.copyOf(all, 5000), Arrays.copyOf(viaHandle.array(), viaHandle.position()),
                    "the handle reads the durable content, not the kernel's cached pages");
            write(ch, bytes("after"), 5000); // the handle stays usable after a plain cut
            ch.force(true);
        }
        assertEquals(5005, Files.size(backing.resolve("seg")));
    }

    /**
     * The kernel caches pages of lossyfs files (that is what makes shared mmap work): a cut must
     * invalidate them, or a process that keeps its handle or mapping would read dropped data.
     */
    @Test
    void cutInvalidatesTheKernelsCachedPagesAndMappings() throws Exception {
        Path f = mnt.resolve("cached");
        byte[] durable = new byte[8192];
        Arrays.fill(durable, (byte) 'A');
        writeForced(f, durable);
        try (FileChannel ch = FileChannel.open(f, READ, WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, durable.length);
            try {
                assertEquals('A', map.get(0), "the page is now cached, up to date");
                write(ch, bytes("BBBB"), 0); // same size, same backing mtime: nothing tells the kernel
                assertEquals('B', map.get(0), "the mapping shares the page cache");
                ByteBuffer b = ByteBuffer.allocate(4);
                ch.read(b, 0);
                assertEquals("BBBB", new String(b.array(), StandardCharsets.UTF_8));

                fs.powerCut();

                b.clear();
                ch.read(b, 0);
                assertEquals("AAAA", new String(b.array(), StandardCharsets.UTF_8), "read through the old handle");
                assertEquals('A', map.get(0), "the mapping faults the durable page back in");
            } finally {
                unmap(map);
            }
        }
    }

    @Test
    void allHandlesOfAFileShareItsUnsyncedData() throws IOException {
        Path f = mnt.resolve("shared");
        try (FileChannel writer = FileChannel.open(f, CREATE_NEW, WRITE);
             FileChannel other = FileChannel.open(f, READ, WRITE)) {
            write(writer, bytes("written through one handle"), 0);
            assertEquals(0, Files.size(backing.resolve("shared")));
            other.force(true); // fsync through another handle persists it, as on any file system
            assertEquals("written through one handle", Files.readString(backing.resolve("shared")));
        }
        fs.powerCut();
        assertEquals("written through one handle", Files.readString(f));
    }

    /** Tens of MiB, a hole past the end, and reads that span forced, unforced and hole bytes. */
    @Test
    void largeFileWithReadsSpanningForcedUnforcedAndHoles() throws IOException {
        Path f = mnt.resolve("large");
        long mib = 1 << 20;
        long forcedSize = 24 * mib;
        long written = 48 * mib;
        long tailAt = 64 * mib;
        byte[] chunk = new byte[256 * 1024];
        try (FileChannel ch = FileChannel.open(f, CREATE_NEW, READ, WRITE)) {
            for (long pos = 0; pos < written; pos += chunk.length) {
                pattern(chunk, pos);
                write(ch, chunk, pos);
                if (pos + chunk.length == forcedSize) {
                    ch.force(true);
                }
            }
            byte[] tail = new byte[4096];
            pattern(tail, tailAt);
            write(ch, tail, tailAt);
            assertEquals(tailAt + tail.length, ch.size());
            assertEquals(forcedSize, Files.size(backing.resolve("large")));
            assertMatches(ch, forcedSize - 777_777, 2 * 777_777, forcedSize + 777_777);
            assertMatches(ch, written - 5000, 10_000, written); // the last written bytes, then the hole
            assertMatches(ch, tailAt - 3000, 7096, tailAt + 7096);

            fs.powerCut();

            assertEquals(forcedSize, ch.size());
            for (long pos = 0; pos < forcedSize; pos += 3 * mib) {
                assertMatches(ch, pos, (int) Math.min(3 * mib, forcedSize - pos), forcedSize);
            }
            ByteBuffer beyond = ByteBuffer.allocate(10);
            assertEquals(-1, ch.read(beyond, forcedSize), "nothing past the durable end");
        }
    }

    /** The content written at {@code pos}: a function of the position only. */
    private static void pattern(byte[] into, long pos) {
        for (int i = 0; i < into.length; i++) {
            long p = pos + i;
            into[i] = (byte) (p ^ (p >>> 8) ^ (p >>> 16) ^ (p >>> 24));
        }
    }

    /** Reads {@code len} bytes at {@code pos}: the pattern below {@code patternEnd}, zeros above. */
    private static void assertMatches(FileChannel ch, long pos, int len, long patternEnd) throws IOException {
        ByteBuffer got = ByteBuffer.allocate(len);
        while (got.hasRemaining() && ch.read(got, pos + got.position()) > 0) {
            // read it all
        }
        assertEquals(len, got.position(), "bytes read at " + pos);
        byte[] want = new byte[len];
        pattern(want, pos);
        for (int i = 0; i < len; i++) {
            if (pos + i >= patternEnd || (pos + i >= 48L << 20 && pos + i < 64L << 20)) {
                want[i] = 0;
            }
        }
        assertArrayEquals(want, got.array(), "content at " + pos);
    }

    // ---------------------------------------------------------------- namespace

    @Test
    void renameCarriesUnsyncedDataAndForceAfterRenamePersistsIt() throws IOException {
        Path tmpFile = mnt.resolve("a.tmp");
        Files.write(tmpFile, bytes("moved"));
        Files.move(tmpFile, mnt.resolve("a"), StandardCopyOption.ATOMIC_MOVE);
        assertEquals("moved", Files.readString(mnt.resolve("a")), "pending data moved with the file");
        assertEquals(0, Files.size(backing.resolve("a")));
        try (FileChannel ch = FileChannel.open(mnt.resolve("a"), WRITE)) {
            ch.force(true);
        }
        assertEquals("moved", Files.readString(backing.resolve("a")));

        Files.write(mnt.resolve("b.tmp"), bytes("never forced"));
        Files.move(mnt.resolve("b.tmp"), mnt.resolve("b"), StandardCopyOption.ATOMIC_MOVE);

        Files.createDirectory(mnt.resolve("d1"));
        Files.write(mnt.resolve("d1/f"), bytes("in a directory"));
        Files.move(mnt.resolve("d1"), mnt.resolve("d2"), StandardCopyOption.ATOMIC_MOVE);
        assertEquals("in a directory", Files.readString(mnt.resolve("d2/f")));
        try (FileChannel ch = FileChannel.open(mnt.resolve("d2/f"), READ)) {
            ch.force(true);
        }

        fs.powerCut();

        assertEquals("moved", Files.readString(mnt.resolve("a")));
        assertEquals(0, Files.size(mnt.resolve("b")), "rename is durable here, unsynced data is not");
        assertFalse(Files.exists(mnt.resolve("b.tmp")));
        assertEquals("in a directory", Files.readString(mnt.resolve("d2/f")));
    }

    @Test
    void unlinkAndReplaceDropThePendingDataOfTheOldFile() throws IOException {
        Files.write(mnt.resolve("u"), bytes("doomed"));
        Files.delete(mnt.resolve("u"));
        assertEquals(0, fs.status().dirtyFiles(), "unlinking the last link dropped the pending data");
        Files.createFile(mnt.resolve("u"));
        assertEquals(0, Files.size(mnt.resolve("u")), "a new file at the same name (maybe the same inode) is empty");

        Files.write(mnt.resolve("c"), bytes("pending in the replaced file"));
        writeForced(mnt.resolve("e"), bytes("E"));
        Files.move(mnt.resolve("e"), mnt.resolve("c"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        assertEquals("E", Files.readString(mnt.resolve("c")));
        assertEquals(0, fs.status().dirtyFiles(), "the replaced file's pending data went with it");

        // Unlinked while open: the handle keeps working on the orphan, and nothing leaks.
        try (FileChannel ch = FileChannel.open(mnt.resolve("orphan"), CREATE_NEW, READ, WRITE)) {
            write(ch, bytes("orphaned"), 0);
            Files.delete(mnt.resolve("orphan"));
            ByteBuffer b = ByteBuffer.allocate(8);
            ch.read(b, 0);
            assertEquals("orphaned", new String(b.array(), StandardCharsets.UTF_8));
            ch.force(true);
        }
        assertEquals(0, fs.status().files(), "no state is kept for closed, clean or unlinked files");

        fs.powerCut();
        assertEquals("E", Files.readString(mnt.resolve("c")));
        assertEquals(0, Files.size(mnt.resolve("u")));
        try (var list = Files.list(mnt)) {
            assertEquals(List.of("c", "u"), list.map(p -> p.getFileName().toString()).sorted().toList(),
                    "readdir passes through and hides the control file");
        }
    }

    // ---------------------------------------------------------------- model check

    /**
     * Random writes (across holes and past the end), truncations that shrink and extend, forces
     * and cuts on one file, against a model of the current and of the durable content.
     */
    @Test
    void randomWritesTruncatesForcesAndCutsMatchAModel() throws IOException {
        Random random = new Random(SEED);
        Path f = mnt.resolve("model");
        Path b = backing.resolve("model");
        byte[] current = new byte[0];
        byte[] durable = new byte[0];
        int cuts = 0;
        int forces = 0;
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            for (int step = 0; step < 400; step++) {
                int op = random.nextInt(100);
                if (op < 60) {
                    int off = random.nextInt(current.length + 3 * 4096 + 1);
                    byte[] data = new byte[1 + random.nextInt(random.nextBoolean() ? 300 : 20_000)];
                    random.nextBytes(data);
                    raf.seek(off);
                    raf.write(data);
                    if (off + data.length > current.length) {
                        current = Arrays.copyOf(current, off + data.length);
                    }
                    System.arraycopy(data, 0, current, off, data.length);
                } else if (op < 72) {
                    int size = random.nextInt(current.length + 10_000 + 1);
                    raf.setLength(size);
                    current = Arrays.copyOf(current, size);
                } else if (op < 85) {
                    if (random.nextBoolean()) {
                        raf.getFD().sync();
                    } else {
                        raf.getChannel().force(false);
                    }
                    durable = current.clone();
                    forces++;
                    assertArrayEquals(durable, Files.readAllBytes(b), "backing file after force, step " + step);
                } else if (op < 90) {
                    fs.powerCut();
                    current = durable.clone();
                    cuts++;
                } else {
                    assertEquals(current.length, raf.length(), "size through the handle, step " + step);
                }
                assertArrayEquals(current, Files.readAllBytes(f), "content through the mount, step " + step);
            }
            raf.getFD().sync();
        }
        assertArrayEquals(current, Files.readAllBytes(b));
        assertTrue(cuts > 5 && forces > 5, "the schedule exercised cuts (" + cuts + ") and forces (" + forces + ")");
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void concurrentWritersOnSharedAndOwnFiles() throws Exception {
        int threads = 4;
        int blocks = 64;
        int blockSize = 4096 + 17; // not page aligned
        Path shared = mnt.resolve("shared");
        Files.createFile(shared);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Callable<Void> task = () -> {
                    try (FileChannel sh = FileChannel.open(shared, READ, WRITE);
                         FileChannel own = FileChannel.open(mnt.resolve("own-" + id), CREATE_NEW, READ, WRITE)) {
                        start.await(10, TimeUnit.SECONDS);
                        for (int i = 0; i < blocks; i++) {
                            byte[] block = block(id, i, blockSize);
                            // Interleaved regions of the shared file: block i of thread t at (i*threads+t).
                            write(sh, block, ((long) i * threads + id) * blockSize);
                            write(own, block, (long) i * blockSize);
                            ByteBuffer back = ByteBuffer.allocate(blockSize);
                            while (back.hasRemaining() && sh.read(back, ((long) i * threads + id) * blockSize + back.position()) > 0) {
                                // read it back
                            }
                            assertArrayEquals(block, back.array(), "thread " + id + " block " + i);
                        }
                        own.force(true);
                    }
                    return null;
                };
                done.add(pool.submit(task));
            }
            for (Future<Void> d : done) {
                d.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals((long) threads * blocks * blockSize, Files.size(shared));
        try (FileChannel ch = FileChannel.open(shared, WRITE)) {
            ch.force(true);
        }
        // A second, unforced round over everything must vanish at the cut.
        for (int t = 0; t < threads; t++) {
            try (FileChannel own = FileChannel.open(mnt.resolve("own-" + t), WRITE)) {
                write(own, new byte[blockSize * 3], blockSize);
            }
        }
        fs.powerCut();
        byte[] sharedContent = Files.readAllBytes(shared);
        for (int t = 0; t < threads; t++) {
            byte[] own = Files.readAllBytes(mnt.resolve("own-" + t));
            assertEquals(blocks * blockSize, own.length);
            for (int i = 0; i < blocks; i++) {
                byte[] want = block(t, i, blockSize);
                assertArrayEquals(want, Arrays.copyOfRange(own, i * blockSize, (i + 1) * blockSize));
                int at = (i * threads + t) * blockSize;
                assertArrayEquals(want, Arrays.copyOfRange(sharedContent, at, at + blockSize));
            }
        }
    }

    private static byte[] block(int thread, int index, int size) {
        byte[] b = new byte[size];
        new Random(thread * 100_003L + index).nextBytes(b);
        return b;
    }

    // ---------------------------------------------------------------- power off

    @Test
    void powerOffFailsEverythingUntilRestoreAndOldHandlesStayDead() throws IOException {
        Path f = mnt.resolve("f");
        writeForced(f, bytes("durable"));
        FileChannel old = FileChannel.open(f, READ, WRITE);
        try {
            write(old, bytes("DURABLE and more"), 0);
            fs.powerOff();
            assertTrue(fs.status().crashed());
            assertThrows(IOException.class, () -> write(old, bytes("x"), 0), "write after power off");
            assertThrows(IOException.class, () -> old.force(true), "fsync after power off");
            assertThrows(IOException.class, () -> Files.readAllBytes(f), "open after power off");
            assertThrows(IOException.class, () -> Files.createFile(mnt.resolve("g")), "create after power off");
            assertFalse(Files.exists(backing.resolve("g")));

            fs.restore();
            assertFalse(fs.status().crashed());
            assertThrows(IOException.class, () -> old.read(ByteBuffer.allocate(4), 0), "a pre-crash handle stays dead");
            assertThrows(IOException.class, () -> write(old, bytes("x"), 0));
            assertEquals("durable", Files.readString(f));
            Files.writeString(mnt.resolve("g"), "new life");
            assertEquals("new life", Files.readString(mnt.resolve("g")));
        } finally {
            try {
                old.close();
            } catch (IOException expected) {
                // close() of a dead handle may report EIO
            }
        }
        assertEquals(1, fs.status().crashes());
    }

    // ---------------------------------------------------------------- mmap

    /**
     * An index-like file written through a shared writable mapping (Sluice's indexes are heap
     * buffers written with write(), but a mapped index must work too): forced entries survive a
     * power off, unforced ones do not.
     */
    @Test
    void memoryMappedIndexKeepsForcedEntriesOnly() throws Exception {
        Path idx = mnt.resolve("00000000000000000000.index");
        int size = 16 * 1024;
        int forced = 512; // entries of 8 bytes: the first 4 KiB page
        FileChannel ch = FileChannel.open(idx, CREATE_NEW, READ, WRITE);
        MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
        try {
            assertEquals(size, Files.size(idx), "mapping extended the file");
            for (int i = 0; i < forced; i++) {
                map.putLong(i * 8, entry(i));
            }
            map.force();
            byte[] onDisk = Files.readAllBytes(backing.resolve(idx.getFileName()));
            assertEquals(size, onDisk.length, "msync persisted the extension");
            assertEquals(entry(forced - 1), ByteBuffer.wrap(onDisk).getLong((forced - 1) * 8));
            for (int i = forced; i < size / 8; i++) {
                map.putLong(i * 8, entry(i));
            }
            ByteBuffer seen = ByteBuffer.wrap(Files.readAllBytes(idx));
            assertEquals(entry(size / 8 - 1), seen.getLong(size - 8), "readers see the mapped writes");

            fs.powerOff();
        } finally {
            unmap(map);
            try {
                ch.close();
            } catch (IOException expected) {
                // a handle from before the power off
            }
        }
        fs.restore();
        for (Path p : List.of(idx, backing.resolve(idx.getFileName()))) {
            ByteBuffer after = ByteBuffer.wrap(Files.readAllBytes(p));
            assertEquals(size, after.capacity(), p.toString());
            for (int i = 0; i < size / 8; i++) {
                assertEquals(i < forced ? entry(i) : 0L, after.getLong(i * 8), p + " entry " + i);
            }
        }
        // And a fresh mapping of the restored file reads what is durable.
        try (FileChannel again = FileChannel.open(idx, READ)) {
            MappedByteBuffer m = again.map(FileChannel.MapMode.READ_ONLY, 0, size);
            assertEquals(entry(forced - 1), m.getLong((forced - 1) * 8));
            assertEquals(0L, m.getLong(forced * 8));
            unmap(m);
        }
    }

    private static long entry(int i) {
        return ((long) i << 32) | (i * 31L + 7);
    }

    /** Unmaps now rather than at garbage collection, so the file is closed before unmounting. */
    private static void unmap(MappedByteBuffer buffer) throws ReflectiveOperationException {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field f = unsafeClass.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Method invokeCleaner = unsafeClass.getMethod("invokeCleaner", ByteBuffer.class);
        invokeCleaner.invoke(f.get(null), buffer);
    }

    // ---------------------------------------------------------------- Sluice's log

    /**
     * A real {@link Log} on the mount, in a node JVM: flush half, append more, lose power. The
     * node's next fsync fails (EIO), it is killed, and the reopened log recovers exactly the
     * flushed records.
     */
    @Test
    void logRecoversExactlyTheFlushedPrefix() throws Exception {
        Path dir = mnt.resolve("topic-0");
        Process node = startNode(dir, 1024 * 1024, 20, 10);
        try (BufferedReader out = reader(node)) {
            assertEquals("APPENDED 10 20 1", out.readLine(), "recovery point, log end, segments");
            Path segment = dir.resolve("00000000000000000000.log");
            Path backingSegment = backing.resolve("topic-0").resolve(segment.getFileName());
            assertTrue(Files.size(segment) > Files.size(backingSegment),
                    "the unflushed batches are in the file, but only in lossyfs's memory");
            assertTrue(fs.status().dirtyBytes() > 0);

            fs.powerOff();

            send(node, "flush");
            String reply = out.readLine();
            assertTrue(reply != null && reply.startsWith("FLUSH-FAILED "), "the node cannot fsync: " + reply);
        } finally {
            kill(node);
        }
        fs.restore();

        LogEnvironment env = LogTestSupport.env(new LogTestSupport.ManualClock(NOW));
        try (LogTestSupport.OpenLog open = LogTestSupport.OpenLog.open(dir, LogConfig.builder().segmentBytes(1024 * 1024).build(), env)) {
            LogView reopened = open.log();
            assertFalse(reopened.recoveredCleanly());
            assertEquals(expectedValues(10), values(readAll(reopened)));
            assertEquals(10, reopened.logEndOffset());
            open.append(batch(NOW, "after"), 0);
            open.writer().flush().join();
            assertEquals(List.of(expectedValue(9), "after"), values(readAll(reopened, 9)));
        }
    }

    /**
     * The same across segment rolls: a segment is fsynced when it is sealed, so what survives is
     * exactly the records below the log's recovery point at the cut.
     */
    @Test
    void logWithRolledSegmentsRecoversExactlyToItsRecoveryPoint() throws Exception {
        Path dir = mnt.resolve("topic-1");
        Process node = startNode(dir, 1024, 60, 25);
        long recoveryPoint;
        long logEnd;
        try (BufferedReader out = reader(node)) {
            String[] appended = String.valueOf(out.readLine()).split(" ");
            assertEquals("APPENDED", appended[0]);
            recoveryPoint = Long.parseLong(appended[1]);
            logEnd = Long.parseLong(appended[2]);
            assertTrue(Integer.parseInt(appended[3]) > 3, "several segments: " + appended[3]);
            assertTrue(recoveryPoint >= 25 && recoveryPoint < logEnd,
                    "some records durable, some not: recovery point " + recoveryPoint + " of " + logEnd);
            fs.powerOff();
        } finally {
            kill(node);
        }
        fs.restore();
        LogEnvironment env = LogTestSupport.env(new LogTestSupport.ManualClock(NOW));
        try (LogTestSupport.OpenLog open = LogTestSupport.OpenLog.open(dir, LogConfig.builder().segmentBytes(1024).build(), env)) {
            LogView reopened = open.log();
            assertFalse(reopened.recoveredCleanly());
            assertEquals(recoveryPoint, reopened.logEndOffset(), "log end after recovery (was " + logEnd + ")");
            List<LogTestSupport.Rec> recs = readAll(reopened);
            assertEquals(LongStream.range(0, recoveryPoint).boxed().toList(), offsets(recs));
            assertEquals(expectedValues((int) recoveryPoint), values(recs));
        }
    }

    private Process startNode(Path dir, int segmentBytes, int records, int flushAfter) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LossyFsLogChild.class.getName(),
                dir.toString(), String.valueOf(segmentBytes), String.valueOf(records), String.valueOf(flushAfter),
                String.valueOf(NOW))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void send(Process p, String line) throws IOException {
        p.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
    }

    /** SIGKILL, and wait: its files are closed once it is gone. */
    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node exited");
    }

    /** The values {@link LossyFsLogChild} writes: {@code v<offset>} padded with x to 100 bytes. */
    private static String expectedValue(int offset) {
        String tag = "v" + offset;
        return tag + "x".repeat(100 - tag.length());
    }

    private static List<String> expectedValues(int n) {
        return IntStream.range(0, n).mapToObj(LossyFsTest::expectedValue).toList();
    }
}

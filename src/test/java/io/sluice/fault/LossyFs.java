package io.sluice.fault;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory on which a power cut loses every write that was not fsynced: a mount of
 * {@code fault/lossyfs/lossyfs.c} (a small FUSE file system; its header documents the semantics)
 * over a backing directory.
 *
 * <pre>{@code
 * LossyFs.assumeAvailable();                       // skips (or fails, with LOSSYFS_REQUIRED=1)
 * try (LossyFs fs = LossyFs.mount(backingDir, mountPoint)) {
 *     ... run a node with its data directory under fs.mountPoint() ...
 *     fs.powerOff();     // unsynced data gone; every operation fails with EIO (node can't write)
 *     ... SIGKILL the node ...
 *     fs.restore();      // power back on
 *     ... restart the node on the same directory ...
 * }                      // unmounts (lazily if files are still open) and stops the process
 * }</pre>
 *
 * <p>For a node: mount before starting it (a mount made before {@code ip netns exec} is visible
 * inside), power off before killing it (so nothing it writes in between lands), and kill it before
 * {@link #close()}. Unsynced data stays in lossyfs's memory until fsync or a cut, however old: with
 * Sluice's default flush policy that is up to a segment per partition, so use small segments or a
 * flush interval. A node whose fsync fails after {@link #powerOff()} sees EIO ({@code Log} then
 * refuses appends).
 *
 * <p>{@link #powerCut()} drops unsynced data but keeps serving (handles stay usable), for tests
 * that look at files within one process. The binary is built once into {@code target/lossyfs/}
 * (again when the source or build script changes). Mounts still open when the JVM exits are unmounted by a
 * shutdown hook; if the JVM dies without running it, lossyfs sees its stdin close and unmounts
 * itself, and {@code -o auto_unmount} covers lossyfs dying.
 */
public final class LossyFs implements AutoCloseable {
    /** The virtual control file at the root of every mount (not listed by readdir). */
    public static final String CONTROL_FILE = ".lossyfs-control";
    /** Set (to 1) to make {@link #assumeAvailable()} fail instead of skipping: CI sets it. */
    public static final String REQUIRE_ENV = "LOSSYFS_REQUIRED";
    /** System property that makes lossyfs unavailable (its tests then skip). */
    public static final String DISABLE_PROPERTY = "sluice.lossyfs.disable";

    private static final Path BASE = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Path SOURCE = BASE.resolve("fault/lossyfs/lossyfs.c");
    private static final Path BUILD_SCRIPT = BASE.resolve("fault/lossyfs/build.sh");
    private static final Path BINARY = BASE.resolve("target/lossyfs/lossyfs");
    private static final long MOUNT_TIMEOUT_SECONDS = 30;
    private static final long EXIT_TIMEOUT_SECONDS = 10;

    private static final Set<LossyFs> MOUNTED = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static boolean hookInstalled;
    /** null until checked; "" when available, else why not. */
    private static String unavailable;

    private final Path backing;
    private final Path mountPoint;
    private final Path control;
    private final Path log;
    private final Process process;
    private boolean closed;
    private boolean busyAtClose;

    /** The status line of the control file, parsed. */
    public record Status(boolean crashed, long cuts, long crashes, long dirtyFiles, long dirtyBytes, long files) {
        static Status parse(String line) {
            Map<String, String> kv = new HashMap<>();
            for (String part : line.trim().split("\\s+")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    kv.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            if (!kv.containsKey("state")) {
                throw new IllegalStateException("unexpected lossyfs status: " + line);
            }
            return new Status("crashed".equals(kv.get("state")), Long.parseLong(kv.get("cuts")),
                    Long.parseLong(kv.get("crashes")), Long.parseLong(kv.get("dirty_files")),
                    Long.parseLong(kv.get("dirty_bytes")), Long.parseLong(kv.get("files")));
        }
    }

    private LossyFs(Path backing, Path mountPoint, Path log, Process process) {
        this.backing = backing;
        this.mountPoint = mountPoint;
        this.control = mountPoint.resolve(CONTROL_FILE);
        this.log = log;
        this.process = process;
    }

    // ---------------------------------------------------------------- availability

    /**
     * Whether lossyfs can be used here: Linux, a usable /dev/fuse, fusermount3, and a binary
     * (built now if needed, with gcc and pkg-config fuse3). Checked once per JVM.
     */
    public static synchronized boolean isAvailable() {
        if (unavailable == null) {
            unavailable = check();
        }
        return unavailable.isEmpty();
    }

    /** Why {@link #isAvailable()} is false (empty when it is true). */
    public static synchronized String unavailableReason() {
        isAvailable();
        return unavailable;
    }

    /**
     * Skips the calling test (JUnit assumption) when lossyfs is not available, saying why; fails
     * it instead when the environment variable {@value #REQUIRE_ENV} is set to 1.
     */
    public static void assumeAvailable() {
        if (isAvailable()) {
            return;
        }
        String why = "lossyfs (FUSE power-loss layer) is not available: " + unavailableReason()
                + " (Debian: apt-get install fuse3 libfuse3-dev gcc pkg-config)";
        if ("1".equals(System.getenv(REQUIRE_ENV))) {
            throw new AssertionError(why + "; " + REQUIRE_ENV + "=1 requires it");
        }
        Assumptions.assumeTrue(false, why);
    }

    private static String check() {
        if (Boolean.getBoolean(DISABLE_PROPERTY)) {
            return "disabled by -D" + DISABLE_PROPERTY;
        }
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "not Linux";
        }
        Path dev = Path.of("/dev/fuse");
        if (!Files.exists(dev)) {
            return "/dev/fuse is missing";
        }
        if (!Files.isReadable(dev) || !Files.isWritable(dev)) {
            return "/dev/fuse is not readable and writable by this user";
        }
        if (onPath("fusermount3") == null) {
            return "fusermount3 is not on the PATH (package fuse3)";
        }
        try {
            build();
        } catch (IOException e) {
            return e.getMessage();
        }
        return "";
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Builds the binary unless the one in target/ was built from the same source and build script
     * (a SHA-256 of both is kept beside it).
     */
    static synchronized Path build() throws IOException {
        if (!Files.exists(SOURCE) || !Files.exists(BUILD_SCRIPT)) {
            throw new IOException("lossyfs source not found at " + SOURCE.getParent());
        }
        String hash = sourceHash();
        Path stamp = BINARY.resolveSibling("lossyfs.sha256");
        if (Files.isExecutable(BINARY) && Files.exists(stamp) && Files.readString(stamp).strip().equals(hash)) {
            return BINARY;
        }
        for (String tool : List.of("gcc", "pkg-config")) {
            if (onPath(tool) == null) {
                throw new IOException(tool + " is not on the PATH, needed to build lossyfs");
            }
        }
        Result r = run(120, "bash", BUILD_SCRIPT.toString(), BINARY.toString());
        if (r.exit != 0) {
            throw new IOException("building lossyfs failed (exit " + r.exit + "): " + r.output.strip());
        }
        Files.writeString(stamp, hash + "\n");
        return BINARY;
    }

    private static String sourceHash() throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(SOURCE));
            md.update(Files.readAllBytes(BUILD_SCRIPT));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- mounting

    /**
     * Mounts lossyfs with {@code backing} (created if missing) as its backing directory at
     * {@code mountPoint} (created if missing). Returns once the file system answers.
     */
    public static LossyFs mount(Path backing, Path mountPoint) throws IOException {
        if (!isAvailable()) {
            throw new IllegalStateException("lossyfs is not available: " + unavailableReason());
        }
        Files.createDirectories(backing);
        Files.createDirectories(mountPoint);
        Path abs = mountPoint.toAbsolutePath().normalize();
        Path logFile = BINARY.resolveSibling("logs").resolve(
                "lossyfs-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + ".log");
        Files.createDirectories(logFile.getParent());
        Process p = new ProcessBuilder(BINARY.toString(), "--watch-stdin",
                backing.toAbsolutePath().toString(), abs.toString(), "-o", "auto_unmount")
                .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        LossyFs fs = new LossyFs(backing.toAbsolutePath(), abs, logFile, p);
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                ready.complete(String.valueOf(in.readLine()));
                while (in.readLine() != null) {
                    // drain
                }
            } catch (IOException e) {
                ready.complete("read failed: " + e);
            }
        }, "lossyfs-stdout-" + abs.getFileName());
        reader.setDaemon(true);
        reader.start();
        String line;
        try {
            line = ready.get(MOUNT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fs.close();
            throw new IOException("interrupted while mounting lossyfs", e);
        } catch (ExecutionException | TimeoutException e) {
            fs.close();
            throw new IOException("lossyfs did not become ready within " + MOUNT_TIMEOUT_SECONDS + " s; log: "
                    + fs.logTail(), e);
        }
        if (!"lossyfs: ready".equals(line) || !isMounted(abs)) {
            fs.close();
            throw new IOException("lossyfs failed to mount " + abs + " (said: " + line + "); log: " + fs.logTail());
        }
        synchronized (LossyFs.class) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    for (LossyFs f : List.copyOf(MOUNTED)) {
                        f.close();
                    }
                }, "lossyfs-unmount"));
                hookInstalled = true;
            }
        }
        MOUNTED.add(fs);
        return fs;
    }

    /** Whether {@code mountPoint} is a lossyfs mount, per /proc/self/mountinfo. */
    public static boolean isMounted(Path mountPoint) {
        String want = mountPoint.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                int dash = line.indexOf(" - ");
                if (f.length > 4 && unescape(f[4]).equals(want) && dash > 0
                        && line.substring(dash + 3).startsWith("fuse.lossyfs ")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    public Path mountPoint() {
        return mountPoint;
    }

    public Path backingDir() {
        return backing;
    }

    /** lossyfs's process id (SIGUSR1 = power off, SIGUSR2 = restore, asynchronously). */
    public long pid() {
        return process.pid();
    }

    /** lossyfs's stderr: one line per cut, crash and restore, and any errors. */
    public Path logFile() {
        return log;
    }

    // ---------------------------------------------------------------- faults

    /**
     * Power cut that the file system survives: every write and truncate not yet fsynced is
     * dropped; handles stay usable and see the durable content. Returns once done.
     */
    public void powerCut() throws IOException {
        command("cut");
    }

    /**
     * Power cut that leaves the machine off: unsynced data is dropped and every operation fails
     * with EIO until {@link #restore()}; handles opened before stay failed even after it (close
     * them, or kill their process). Returns once done.
     */
    public void powerOff() throws IOException {
        command("crash");
    }

    /** Power back on after {@link #powerOff()}. */
    public void restore() throws IOException {
        command("restore");
    }

    /** Writes and fsyncs every file's unsynced data (a checkpoint). */
    public void sync() throws IOException {
        command("sync");
    }

    public Status status() throws IOException {
        return Status.parse(Files.readString(control, StandardCharsets.UTF_8));
    }

    private void command(String cmd) throws IOException {
        if (closed) {
            throw new IllegalStateException("lossyfs at " + mountPoint + " is closed");
        }
        Files.writeString(control, cmd + "\n", StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- closing

    /**
     * Unmounts (lazily if files are still open on the mount, so this never fails on a busy
     * mount) and waits for lossyfs to exit, killing it if it does not. Unsynced data is dropped,
     * as by a power cut. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        MOUNTED.remove(this);
        try {
            if (isMounted(mountPoint) && run(EXIT_TIMEOUT_SECONDS, "fusermount3", "-u", mountPoint.toString()).exit != 0) {
                busyAtClose = true;
                Result lazy = run(EXIT_TIMEOUT_SECONDS, "fusermount3", "-u", "-z", mountPoint.toString());
                System.err.println("lossyfs: " + mountPoint + " was busy; unmounted lazily (exit " + lazy.exit + ")");
            }
        } catch (IOException e) {
            System.err.println("lossyfs: unmounting " + mountPoint + " failed: " + e);
        }
        try {
            process.getOutputStream().close(); // lossyfs --watch-stdin unmounts and exits on EOF
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
            }
            if (isMounted(mountPoint)) {
                run(EXIT_TIMEOUT_SECONDS, "fusermount3", "-u", "-z", mountPoint.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (IOException e) {
            System.err.println("lossyfs: cleaning up " + mountPoint + " failed: " + e);
        }
    }

    /** Whether close() found files still open on the mount (and so unmounted it lazily). */
    public synchronized boolean wasBusyAtClose() {
        return busyAtClose;
    }

    /** Whether close() has run. */
    public synchronized boolean isClosed() {
        return closed;
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "LossyFs[" + backing + " at " + mountPoint + ", pid " + process.pid() + "]";
    }

    // ---------------------------------------------------------------- processes

    private record Result(int exit, String output) {
    }

    private static Result run(long timeoutSeconds, String... cmd) throws IOException {
        List<String> command = new ArrayList<>(List.of(cmd));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                return new Result(-1, String.join(" ", command) + " timed out");
            }
            return new Result(p.exitValue(), out.get(timeoutSeconds, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        } catch (ExecutionException | TimeoutException e) {
            return new Result(p.exitValue(), "");
        }
    }
}

package io.sluice.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Sluice node as a separate JVM started from the packaged jar ({@code target/sluice.jar}), for
 * tests that send it signals: SIGTERM for a graceful stop, SIGKILL for a crash, SIGSTOP to
 * freeze it. Its output goes to {@code node.log} in its data directory. Like every test JVM it
 * runs with Sluice's assertions on ({@link #ASSERTIONS}), which switch on the thread-confinement
 * checks: a violation in the node (logged there, as Vert.x logs what a handler throws) fails the
 * test when the node is closed.
 */
public final class NodeProcess implements AutoCloseable {
    /**
     * Assertions on in Sluice's classes, which switches on the thread-confinement checks
     * ({@code io.sluice.common.Confinement}); not in the libraries', whose checks would slow the
     * node down and change the timing the tests were written against.
     */
    public static final String ASSERTIONS = "-ea:io.sluice...";

    private final List<String> command;
    private final Path dataDir;
    private final int httpPort;
    private Process process;

    public NodeProcess(Path dataDir, int httpPort, List<String> args) {
        this.dataDir = dataDir;
        this.httpPort = httpPort;
        this.command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(ASSERTIONS, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar().toString()));
        command.addAll(List.of("--http-host", "127.0.0.1", "--http-port", String.valueOf(httpPort),
                "--data-dir", dataDir.toString()));
        command.addAll(args);
    }

    /** The command line the node is started with. */
    public List<String> command() {
        return List.copyOf(command);
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("sluice.jar", "target/sluice.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run 'mvn package' first (mvn verify does)");
        }
        return jar;
    }

    /** Runs the jar with {@code args} to completion and returns exit code and output. */
    public static Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                ASSERTIONS, "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("process did not finish: " + out);
        }
        return new Result(p.exitValue(), out);
    }

    /** Exit code and combined output of a finished process. */
    public record Result(int exitCode, String output) {
    }

    public NodeProcess start() throws IOException {
        Files.createDirectories(dataDir);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("node.log").toFile())).start();
        return this;
    }

    /** Waits until {@code /health} answers. */
    public NodeProcess awaitHealthy(Duration timeout) {
        Await.until("node on port " + httpPort + " healthy (log: " + dataDir.resolve("node.log") + ")", timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("node exited with " + process.exitValue() + ": " + log());
            }
            return status("/health") == 200;
        });
        return this;
    }

    /** HTTP status of a GET, or -1 when nothing answers. */
    public int status(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + path).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            return c.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }

    public int httpPort() {
        return httpPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node did not stop on SIGTERM within " + timeout);
        }
        return process.exitValue();
    }

    /** SIGKILL: the process dies at once, without any shutdown work. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends a POSIX signal by name (STOP, CONT). */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " failed");
        }
    }

    public String log() {
        try {
            return Files.readString(dataDir.resolve("node.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The lines of {@code node.log} that report a thread-confinement violation. */
    public List<String> confinementViolations() {
        return log().lines().filter(l -> l.contains("confinement violated")).toList();
    }

    /**
     * Kills the node if it still runs, then fails if it reported a thread-confinement violation
     * (once killed: a caller closing several nodes closes them all first).
     */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.toHandle().destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> violations = process == null ? List.of() : confinementViolations();
        if (!violations.isEmpty()) {
            throw new AssertionError("the node on port " + httpPort + " reported thread-confinement violations (log: "
                    + dataDir.resolve("node.log") + "): " + violations);
        }
    }
}

package io.sluice.fault.node;

import io.sluice.fault.net.Shell;
import io.sluice.testing.NodeProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node JVM running inside its network namespace ({@code ip netns exec <ns> java -jar sluice.jar}),
 * and the process faults done to it: SIGKILL, SIGSTOP/SIGCONT, SIGTERM, restart, wall-clock steps.
 * {@code ip netns exec} and {@code env} both exec rather than fork, so the child's pid is the JVM's
 * and signals reach the node itself. Output is appended to {@code node.log} beside the data
 * directory, across restarts.
 */
public final class FaultNode implements AutoCloseable {
    private final int index;
    private final String namespace;
    private final List<String> command;
    private final Path logFile;
    private final WallClock clock;
    private Process process;
    private volatile boolean paused;

    /**
     * @param args the node's flags (everything after {@code -jar sluice.jar})
     * @param clock a wall clock to run the node under, or null for the real one
     */
    public FaultNode(int index, String namespace, Path jar, List<String> args, Path logFile, WallClock clock) {
        this.index = index;
        this.namespace = namespace;
        this.logFile = logFile;
        this.clock = clock;
        this.command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        if (clock != null) {
            command.add("env");
            clock.environment().forEach((k, v) -> command.add(k + "=" + v));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small heaps and the serial collector: five nodes and the test share two cores. Sluice's
        // assertions on (not the libraries'): they switch on the thread-confinement checks.
        command.addAll(List.of(NodeProcess.ASSERTIONS, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString()));
        command.addAll(args);
    }

    /** Creates the wall clock a node can be started under (its offset file lives in {@code dir}). */
    public static WallClock wallClock(Path dir, int index) throws IOException {
        Files.createDirectories(dir);
        return new WallClock(dir.resolve("n" + index + ".faketime"));
    }

    public int index() {
        return index;
    }

    public String namespace() {
        return namespace;
    }

    public List<String> command() {
        return command;
    }

    public synchronized void start() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException("node " + index + " is already running");
        }
        Files.createDirectories(logFile.getParent());
        Files.writeString(logFile, "===== start " + java.time.Instant.now() + ": " + String.join(" ", command) + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        process = pb.start();
        paused = false;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Running and not frozen: it can answer. */
    public boolean isServing() {
        return isAlive() && !paused;
    }

    public boolean isPaused() {
        return paused;
    }

    public synchronized long pid() {
        return process.pid();
    }

    /** SIGKILL: gone at once, no shutdown work (page cache survives: not a power cut). */
    public synchronized void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        paused = false;
    }

    /** SIGSTOP: the JVM freezes with its sockets open, like a long GC pause. */
    public synchronized void pause() {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        signal("CONT");
        paused = false;
    }

    /** SIGTERM (graceful stop with controlled shutdown); SIGKILL if it takes longer than {@code seconds}. */
    public synchronized int terminate(int seconds) throws InterruptedException {
        if (process == null) {
            return -1;
        }
        if (paused) {
            resume();
        }
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            System.out.println("[fault] node " + index + " ignored SIGTERM for " + seconds + " s: killing it");
            kill();
        }
        return process.exitValue();
    }

    public WallClock clock() {
        return clock;
    }

    public Path logFile() {
        return logFile;
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("node " + index + " is not running");
        }
        Shell.Result r = Shell.run(List.of("kill", "-" + name, String.valueOf(process.pid())));
        if (!r.ok()) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + ": " + r.output());
        }
    }

    /** Kills the JVM whatever state it is in (a stopped process dies of SIGKILL too). */
    @Override
    public synchronized void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

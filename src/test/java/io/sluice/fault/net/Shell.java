package io.sluice.fault.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one short system command (ip, iptables, kill) to completion with a deadline. Owns nothing
 * beyond the child it starts: a command that overruns its deadline is killed, so no call here can
 * hang a test.
 */
public final class Shell {
    /** Long enough for ip/iptables on a loaded 2-core machine, short enough that a hang is noticed. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private Shell() {
    }

    /** Exit code and combined output of a finished command. */
    public record Result(int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }
    }

    /** Runs {@code cmd}; returns its result whatever the exit code. */
    public static Result run(List<String> cmd) {
        return run(cmd, null, DEFAULT_TIMEOUT);
    }

    /** Runs {@code cmd} with {@code stdin} (may be null) within {@code timeout}. */
    public static Result run(List<String> cmd, String stdin, Duration timeout) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            // Read on a helper thread: a chatty command must not block on a full pipe while we wait.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread pump = new Thread(() -> copy(p.getInputStream(), out), "shell-out");
            pump.setDaemon(true);
            pump.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeout + ": " + String.join(" ", cmd));
            }
            pump.join(2000);
            synchronized (out) {
                return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** Runs {@code cmd} and throws when it fails. */
    public static String check(String... cmd) {
        return check(List.of(cmd), null);
    }

    public static String check(List<String> cmd, String stdin) {
        Result r = run(cmd, stdin, DEFAULT_TIMEOUT);
        if (!r.ok()) {
            throw new IllegalStateException("command failed (" + r.exit() + "): " + String.join(" ", cmd) + "\n" + r.output());
        }
        return r.output();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // The process ended; what was read is kept.
        }
    }
}

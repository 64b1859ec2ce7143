package io.sluice.fault.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Removes what crashed fault runs left behind: namespaces named {@code sl-<run>-n<i>} or {@code sl-<run>-br} whose run is no
 * longer alive, and the node JVMs still inside them. A run is alive while the process that wrote
 * its owner file ({@value #OWNERS}/{@code <run>}) exists, so a concurrent run is never touched.
 */
public final class LeftoverCleaner {
    /** Where each run records the pid of the JVM that owns it. */
    public static final Path OWNERS = Path.of("/run/sluice-fault");

    private LeftoverCleaner() {
    }

    /** Records that this JVM owns {@code run}. */
    static void claim(String run) throws IOException {
        Files.createDirectories(OWNERS);
        Files.writeString(OWNERS.resolve(run), String.valueOf(ProcessHandle.current().pid()));
    }

    static void release(String run) {
        try {
            Files.deleteIfExists(OWNERS.resolve(run));
        } catch (IOException ignored) {
            // Harmless: a later cleaner sees the pid is gone.
        }
    }

    /** Deletes every namespace of a dead run; returns the runs removed. */
    public static Set<String> clean() {
        Set<String> removed = new TreeSet<>();
        for (String ns : namespaces()) {
            // Only names this suite makes (sl-<4 hex>-n<i> | -br): another tool's sl-* is not ours to remove.
            if (!ns.matches("sl-[0-9a-f]{4}-(n\\d+|br)")) {
                continue;
            }
            String run = ns.split("-")[1];
            if (alive(run)) {
                continue;
            }
            killProcessesIn(ns);
            Shell.run(List.of("ip", "netns", "del", ns));
            removed.add(run);
        }
        removed.forEach(LeftoverCleaner::release);
        if (!removed.isEmpty()) {
            System.out.println("[fault] removed namespaces of crashed runs: " + removed);
        }
        return removed;
    }

    /** The names listed by {@code ip netns list} (first word of each line). */
    static List<String> namespaces() {
        List<String> out = new ArrayList<>();
        for (String line : Shell.run(List.of("ip", "netns", "list")).output().split("\n")) {
            if (!line.isBlank()) {
                out.add(line.strip().split("\\s+")[0]);
            }
        }
        return out;
    }

    static boolean alive(String run) {
        try {
            long pid = Long.parseLong(Files.readString(OWNERS.resolve(run)).strip());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** SIGKILLs the processes left in {@code ns}: our own node JVMs of a crashed run, by pid. */
    private static void killProcessesIn(String ns) {
        for (String pid : Shell.run(List.of("ip", "netns", "pids", ns)).output().split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}

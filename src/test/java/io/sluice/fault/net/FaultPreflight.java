package io.sluice.fault.net;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether this machine can run the network-namespace fault suite, and why not. Tests turn a
 * non-null {@link #whyNot()} into a JUnit assumption, so they skip with this message (not root, no
 * {@code ip netns}) rather than fail; everything else that is missing (iptables, faketime) is
 * installed by {@code .ci/run}/{@code fault/setup.sh}, and its absence is a failure, not a skip.
 */
public final class FaultPreflight {
    private FaultPreflight() {
    }

    /** Null when the suite can run, else the reason it cannot. */
    public static String whyNot() {
        if (!"root".equals(System.getProperty("user.name")) && !isUidZero()) {
            return "the fault suite needs root (network namespaces, iptables); running as " + System.getProperty("user.name");
        }
        Shell.Result r = Shell.run(List.of("ip", "netns", "list"));
        if (!r.ok()) {
            return "'ip netns' is not usable here: " + r.output().strip();
        }
        return null;
    }

    /** Fails with a pointer to the setup script when a required tool is missing. */
    public static void requireTools() {
        for (String tool : List.of("iptables-restore", "iptables")) {
            if (!Shell.run(List.of("sh", "-c", "command -v " + tool)).ok()) {
                throw new IllegalStateException(tool + " is missing: run fault/setup.sh (apt-get install iptables faketime)");
            }
        }
    }

    private static boolean isUidZero() {
        try {
            return Files.readString(Path.of("/proc/self/status")).lines()
                    .filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[1].equals("0"));
        } catch (Exception e) {
            return false;
        }
    }
}

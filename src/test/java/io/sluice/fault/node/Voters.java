package io.sluice.fault.node;

import io.sluice.fault.net.Shell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether nodes are started with a controller quorum ({@code --controller-voters id@host:port,...}
 * and {@code --controller-port}, API.md "Controller quorum"), and which nodes vote.
 *
 * <p>System property {@code sluice.fault.voters}: {@code on} (always pass the flags; a jar that does
 * not know them fails to start), {@code off} (never: today's Hazelcast "oldest member" controller),
 * or {@code auto} (the default: on exactly when the jar's {@code --help} lists
 * {@code --controller-voters}, so the suite judges the quorum as soon as it lands and still runs on
 * older jars). {@code sluice.fault.voterCount}: how many of the first nodes vote (default: all, at most 5).
 */
public record Voters(boolean enabled, int count, int port) {
    public static final int CONTROLLER_PORT = 9093;

    public static Voters fromSystemProperties(Path jar, int nodes) {
        String mode = System.getProperty("sluice.fault.voters", "auto");
        int count = Math.min(nodes, Integer.getInteger("sluice.fault.voterCount", Math.min(nodes, 5)));
        boolean on = switch (mode) {
            case "on" -> true;
            case "off" -> false;
            case "auto" -> jarKnowsVoters(jar);
            default -> throw new IllegalArgumentException("sluice.fault.voters must be on, off or auto: " + mode);
        };
        if ("auto".equals(mode)) {
            System.out.println("[fault] sluice.fault.voters=auto: the jar " + (on ? "supports" : "does NOT support")
                    + " --controller-voters; nodes start " + (on ? "with a quorum of " + count + " voters" : "without a quorum (today's controller)"));
        }
        return new Voters(on, count, CONTROLLER_PORT);
    }

    static boolean jarKnowsVoters(Path jar) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Shell.run(List.of(java, "-jar", jar.toString(), "--help")).output().contains("--controller-voters");
    }

    /** The flags for one node, given every node's cluster address. */
    public List<String> flags(List<String> clusterIps) {
        if (!enabled) {
            return List.of();
        }
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            voters.add("n" + i + "@" + clusterIps.get(i) + ":" + port);
        }
        return List.of("--controller-voters", String.join(",", voters), "--controller-port", String.valueOf(port));
    }
}

package io.sluice.quorum;

import io.sluice.cluster.HazelcastSetup;
import io.sluice.config.NodeConfig;
import io.sluice.log.AtomicFiles;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Decides this node's place in the controller quorum at start, and keeps it in
 * {@code <data-dir>/quorum/quorum.properties} so that a restart needs no flags:
 * <ol>
 *   <li>With {@code --controller-voters}: those voters; this node votes if it is listed, else it is
 *       a broker only.</li>
 *   <li>Without, the stored plan, if any.</li>
 *   <li>Without either, on first start: if the node joined a cluster that already has members, it is
 *       a broker of the quorum it found, and stays one (it never forms a quorum of its own, even
 *       restarted alone: it waits for its cluster's controller). Alone, it is a quorum of one: the
 *       quick start, as Kafka's combined mode with one voter.</li>
 * </ol>
 * The voter set of a running quorum changes through the quorum itself (see README, "Changing the
 * voters"), never by editing this file: Ratis keeps the committed configuration in its log.
 */
public final class QuorumBootstrap {
    private static final System.Logger LOG = System.getLogger(QuorumBootstrap.class.getName());
    static final String FILE = "quorum.properties";

    private QuorumBootstrap() {
    }

    /**
     * @param othersPresent whether the cluster this node joined has other members
     */
    public static QuorumPlan resolve(NodeConfig config, String nodeId, boolean othersPresent) throws IOException {
        Path file = config.dataDir().resolve("quorum").resolve(FILE);
        List<Voter> stored = read(file);
        List<Voter> voters;
        if (config.controllerVoters() != null) {
            voters = Voter.parseAll(config.controllerVoters());
            if (stored != null && !stored.isEmpty() && !stored.equals(voters)) {
                LOG.log(System.Logger.Level.WARNING, "--controller-voters " + voters + " differ from the voters stored with this node "
                        + stored + "; a quorum that already has a log keeps the voters it committed (change them with the "
                        + "documented reconfiguration)");
            }
        } else if (stored != null) {
            voters = stored;
        } else if (othersPresent) {
            voters = List.of();
            LOG.log(System.Logger.Level.INFO, "node " + nodeId + " joined an existing cluster without --controller-voters: "
                    + "it is a broker of that cluster's quorum");
        } else {
            int port = config.controllerPort() != null && config.controllerPort() != 0
                    ? config.controllerPort() : freePort(config.clusterHost());
            voters = List.of(new Voter(nodeId, config.clusterHost(), port));
            LOG.log(System.Logger.Level.INFO, "node " + nodeId + " is alone: it forms a controller quorum of one at " + voters.get(0));
        }
        if (!voters.equals(stored)) {
            write(file, voters);
        }
        Voter self = null;
        for (Voter v : voters) {
            if (v.id().equals(nodeId)) {
                self = v;
            }
        }
        if (self == null) {
            return new QuorumPlan(voters, null, config.clusterHost(), -1);
        }
        int bind = config.controllerPort() != null && config.controllerPort() != 0 ? config.controllerPort() : self.port();
        if (voters.size() == 1 && config.controllerVoters() == null && !free(config.clusterHost(), bind)) {
            // A quorum of one that nobody dials: its endpoint may move (a test's port, taken since).
            bind = freePort(config.clusterHost());
            self = new Voter(self.id(), self.host(), bind);
            write(file, List.of(self));
        }
        return new QuorumPlan(voters, self, config.clusterHost(), bind);
    }

    /** The stored voters: null when none were stored, empty for a broker of a quorum it found. */
    static List<Voter> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        String raw = p.getProperty("voters", "").trim();
        List<String> specs = new ArrayList<>();
        for (String s : raw.split(",")) {
            if (!s.isBlank()) {
                specs.add(s.trim());
            }
        }
        return Voter.parseAll(specs);
    }

    static void write(Path file, List<Voter> voters) throws IOException {
        Properties p = new Properties();
        p.setProperty("voters", String.join(",", voters.stream().map(Voter::toString).toList()));
        StringWriter out = new StringWriter();
        p.store(out, voters.isEmpty() ? "a broker of the quorum it joined" : "the controller quorum's voters");
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean free(String host, int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(String host) {
        return HazelcastSetup.freePort(host);
    }
}

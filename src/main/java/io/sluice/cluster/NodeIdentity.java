package io.sluice.cluster;

import io.sluice.log.AtomicFiles;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;

/**
 * Binds a data directory to one node id, in {@code <data-dir>/meta.properties} (as Kafka's
 * {@code meta.properties}): replica assignments name node ids, so a directory must never be
 * served under another id, and a node started without {@code --node-id} keeps the id it had.
 */
public final class NodeIdentity {
    static final String FILE = "meta.properties";

    private NodeIdentity() {
    }

    /**
     * The node id for {@code dataDir}: the stored one, or {@code requested}, or a new random one.
     *
     * @throws IllegalStateException if {@code requested} differs from the stored id
     */
    public static String resolve(Path dataDir, String requested) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            String stored = p.getProperty("node.id");
            if (stored != null) {
                if (requested != null && !requested.equals(stored)) {
                    throw new IllegalStateException("data directory " + dataDir + " belongs to node '" + stored
                            + "', not '" + requested + "'; use another --data-dir or the matching --node-id");
                }
                return stored;
            }
        }
        String id = requested != null ? requested : "node-" + UUID.randomUUID().toString().substring(0, 8);
        AtomicFiles.write(file, ("version=1\nnode.id=" + id + "\n").getBytes(StandardCharsets.UTF_8));
        return id;
    }
}

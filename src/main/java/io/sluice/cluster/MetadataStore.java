package io.sluice.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.log.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * This node's durable copy of the cluster metadata: {@code <data-dir>/metadata/cluster-metadata.json},
 * the JSON form of {@link ClusterMetadata}, replaced atomically. Blocking; callers run it off
 * the event loop.
 */
public final class MetadataStore {
    static final String FILE = "cluster-metadata.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public MetadataStore(Path dataDir) {
        this.file = dataDir.resolve("metadata").resolve(FILE);
    }

    public ClusterMetadata load() throws IOException {
        try {
            return JSON.readValue(Files.readAllBytes(file), ClusterMetadata.class);
        } catch (NoSuchFileException e) {
            return ClusterMetadata.EMPTY;
        }
    }

    /**
     * Writes {@code metadata} durably. Synchronized: the controller's commits and this node's
     * {@link MetadataSync} both save here, and two writers would share the temporary file.
     */
    public synchronized void save(ClusterMetadata metadata) throws IOException {
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, JSON.writeValueAsBytes(metadata));
    }

    public static byte[] toJson(ClusterMetadata metadata) {
        try {
            return JSON.writeValueAsBytes(metadata);
        } catch (IOException e) {
            throw new IllegalStateException("metadata does not serialise", e);
        }
    }

    public static ClusterMetadata fromJson(byte[] json) {
        try {
            return JSON.readValue(json, ClusterMetadata.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not cluster metadata: " + e.getMessage(), e);
        }
    }
}

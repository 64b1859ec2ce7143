package io.sluice.fault.node;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a node's data directory lives, and the hook for a power-loss fault. The plain provider
 * ({@link PlainDataDirs}) uses an ordinary directory; {@link LossyDataDirs} mounts each one on
 * lossyfs (a FUSE layer that keeps un-fsynced writes in memory and drops them on
 * {@link #powerCut}). The cluster calls {@link #prepare} before every start of a node (a provider
 * that cut the power turns it back on there); a power-cut fault calls {@link #powerCut} and then
 * SIGKILLs the node, so that nothing the node does after the cut reaches its disk.
 */
public interface DataDirProvider extends AutoCloseable {
    /** Makes node {@code node}'s data directory ready (mounted) under {@code base}; returns the path the node uses. */
    Path prepare(int node, Path base) throws IOException;

    /** Whether {@link #powerCut} does anything (the scenario that needs it is skipped otherwise). */
    boolean supportsPowerCut();

    /**
     * Drops every write of {@code node} that was not fsynced and keeps its disk failing (EIO) until
     * the next {@link #prepare}; the caller SIGKILLs the node right after.
     */
    void powerCut(int node) throws IOException;

    /** Unmounts whatever {@link #prepare} mounted. */
    @Override
    void close();
}

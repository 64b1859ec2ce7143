package io.sluice.fault.node;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a node's data directory lives, and the hook for a power-loss fault. The plain provider
 * ({@link PlainDataDirs}) uses an ordinary directory; the FUSE layer being written separately
 * (a mount that keeps un-fsynced writes in memory and drops them on {@link #powerCut}) plugs in here
 * without touching the harness: the cluster calls {@link #prepare} before every start of a node and
 * {@link #powerCut} after SIGKILLing it, before the restart.
 */
public interface DataDirProvider extends AutoCloseable {
    /** Makes node {@code node}'s data directory ready (mounted) under {@code base}; returns the path the node uses. */
    Path prepare(int node, Path base) throws IOException;

    /** Whether {@link #powerCut} does anything (the scenario that needs it is skipped otherwise). */
    boolean supportsPowerCut();

    /** Drops every write of {@code node} that was not fsynced; called while the node is dead. */
    void powerCut(int node) throws IOException;

    /** Unmounts whatever {@link #prepare} mounted. */
    @Override
    void close();
}

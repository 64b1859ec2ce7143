package io.sluice.fault.node;

import io.sluice.fault.LossyFs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Data directories on lossyfs ({@link LossyFs}, {@code fault/lossyfs}): each node's data directory
 * is its own FUSE mount, over a backing directory beside it ({@code n<i>/data-backing}), so that a
 * power cut of one node drops exactly what that node wrote and did not fsync.
 *
 * <ul>
 *   <li>{@link #prepare}: mounts at {@code base} on the node's first start (in the root mount
 *       namespace, before {@code ip netns exec}, whose new mount namespace is a copy and so sees
 *       it); before a restart after a cut, powers the mount back on ({@code restore}).</li>
 *   <li>{@link #powerCut}: powers the mount off ({@code crash}): every unsynced write is gone and
 *       every operation fails with EIO, so the node, killed right after by the caller, cannot
 *       write anything more (nor read what it lost).</li>
 *   <li>{@link #close}: unmounts everything (after the nodes are killed: {@link FaultCluster}
 *       kills them first); a JVM that dies without closing leaves no mount either (lossyfs's
 *       {@code --watch-stdin} and {@code auto_unmount}, see {@link LossyFs}).</li>
 * </ul>
 *
 * <p>lossyfs keeps unsynced data in memory until the next fsync: Sluice fsyncs a segment when it
 * rolls, so run nodes with a small {@code log.segment.bytes} ({@link #SETTINGS}).
 */
public final class LossyDataDirs implements DataDirProvider {
    /** Broker settings that keep lossyfs's memory small: a segment is fsynced when it rolls. */
    public static final java.util.List<String> SETTINGS = java.util.List.of("log.segment.bytes=131072");

    private final Map<Integer, LossyFs> mounts = new TreeMap<>();
    private boolean closed;

    /** Fails (or skips the calling test, see {@link LossyFs#assumeAvailable()}) when lossyfs cannot be used. */
    public static LossyDataDirs create() {
        LossyFs.assumeAvailable();
        return new LossyDataDirs();
    }

    private LossyDataDirs() {
    }

    @Override
    public synchronized Path prepare(int node, Path base) throws IOException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        LossyFs fs = mounts.get(node);
        if (fs == null) {
            Path mountPoint = base.toAbsolutePath().normalize();
            fs = LossyFs.mount(mountPoint.resolveSibling(mountPoint.getFileName() + "-backing"), mountPoint);
            mounts.put(node, fs);
            return fs.mountPoint();
        }
        if (fs.status().crashed()) {
            fs.restore();
        }
        return fs.mountPoint();
    }

    @Override
    public boolean supportsPowerCut() {
        return true;
    }

    /** Powers node {@code node}'s disk off: its unsynced writes are dropped, then everything fails (EIO) until the next {@link #prepare}. */
    @Override
    public synchronized void powerCut(int node) throws IOException {
        LossyFs fs = mounts.get(node);
        if (fs == null) {
            throw new IllegalStateException("node " + node + " has no lossyfs mount");
        }
        fs.powerOff();
    }

    /** Where node {@code node}'s mount keeps what is durable (read it while the power is off: it is what a restart finds). */
    public synchronized Path backingDir(int node) {
        LossyFs fs = mounts.get(node);
        return fs == null ? null : fs.backingDir();
    }

    /** lossyfs's own account of node {@code node}'s mount (unsynced bytes, cuts), or null. */
    public synchronized LossyFs.Status status(int node) {
        LossyFs fs = mounts.get(node);
        try {
            return fs == null ? null : fs.status();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (LossyFs fs : mounts.values()) {
            fs.close();
        }
        mounts.clear();
    }
}

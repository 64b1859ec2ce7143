package io.sluice.fault.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Data directories on the ordinary file system: a SIGKILL keeps the page cache, so no power cut. */
public final class PlainDataDirs implements DataDirProvider {
    @Override
    public Path prepare(int node, Path base) throws IOException {
        return Files.createDirectories(base);
    }

    @Override
    public boolean supportsPowerCut() {
        return false;
    }

    @Override
    public void powerCut(int node) {
        throw new UnsupportedOperationException("a power cut needs a data-dir provider that can drop un-fsynced writes (FUSE layer)");
    }

    @Override
    public void close() {
    }
}

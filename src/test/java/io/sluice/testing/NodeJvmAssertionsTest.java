package io.sluice.testing;

import io.sluice.fault.node.FaultNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node JVMs that tests start run with assertions on, like the test JVM itself: they switch on the
 * thread-confinement checks ({@link io.sluice.common.Confinement}).
 */
class NodeJvmAssertionsTest {
    @TempDir
    Path dir;

    @Test
    void nodeProcessesRunWithAssertions() throws Exception {
        Path jar = Files.createFile(dir.resolve("sluice.jar"));
        String previous = System.setProperty("sluice.jar", jar.toString());
        try {
            List<String> command = new NodeProcess(dir.resolve("data"), 8080, List.of()).command();
            assertTrue(command.indexOf("-ea") >= 0 && command.indexOf("-ea") < command.indexOf("-jar"), command.toString());
        } finally {
            if (previous == null) {
                System.clearProperty("sluice.jar");
            } else {
                System.setProperty("sluice.jar", previous);
            }
        }
    }

    @Test
    void faultNodesRunWithAssertions() {
        List<String> command = new FaultNode(0, "ns0", dir.resolve("sluice.jar"), List.of(), dir.resolve("node.log"), null)
                .command();
        assertTrue(command.indexOf("-ea") >= 0 && command.indexOf("-ea") < command.indexOf("-jar"), command.toString());
    }
}

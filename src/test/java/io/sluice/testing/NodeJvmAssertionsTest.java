package io.sluice.testing;

import io.sluice.fault.node.FaultNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node JVMs that tests start run with assertions on, like the test JVM itself: they switch on the
 * thread-confinement checks ({@link io.sluice.common.Confinement}), and a violation a node logged
 * fails the test that started it.
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
            assertAssertionsBeforeTheJar(command);
        } finally {
            restore(previous);
        }
    }

    @Test
    void aNodeThatReportedAViolationFailsWhenClosed() throws Exception {
        // (A jar that is not one: the JVM exits at once. The violation is in the log beforehand.)
        Path jar = Files.writeString(dir.resolve("sluice.jar"), "not a jar");
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("node.log"), "java.lang.AssertionError: confinement violated: X is confined to its event loop\n");
        String previous = System.setProperty("sluice.jar", jar.toString());
        try {
            NodeProcess node = new NodeProcess(data, 8080, List.of()).start();
            AssertionError e = assertThrows(AssertionError.class, node::close);
            assertTrue(e.getMessage().contains("reported thread-confinement violations"), e.getMessage());
        } finally {
            restore(previous);
        }
    }

    private static void assertAssertionsBeforeTheJar(List<String> command) {
        int ea = command.indexOf(NodeProcess.ASSERTIONS);
        assertTrue(ea >= 0 && ea < command.indexOf("-jar"), command.toString());
    }

    private static void restore(String previousJar) {
        if (previousJar == null) {
            System.clearProperty("sluice.jar");
        } else {
            System.setProperty("sluice.jar", previousJar);
        }
    }

    @Test
    void faultNodesRunWithAssertions() {
        List<String> command = new FaultNode(0, "ns0", dir.resolve("sluice.jar"), List.of(), dir.resolve("node.log"), null)
                .command();
        assertAssertionsBeforeTheJar(command);
    }
}

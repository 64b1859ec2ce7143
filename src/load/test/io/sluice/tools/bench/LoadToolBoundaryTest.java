package io.sluice.tools.bench;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What goes into {@code target/sluice-load.jar} (the classes compiled from {@code src/load/java}
 * alone) uses nothing but the JDK, the libraries packed beside it and its own package: the tool
 * speaks to a node over the public HTTP/WebSocket API only, never through the broker's classes.
 * The tool's sources are compiled with the broker's on the classpath, so only this check stops
 * an import of a broker class (or of a test library) from creeping in.
 */
class LoadToolBoundaryTest {
    @Test
    void theToolDependsOnlyOnTheJdkAndTheLibrariesInItsJar() {
        Path dir = Path.of(System.getProperty("sluice.load.classes", "target/load-classes"));
        assertTrue(Files.isDirectory(dir), "the load tool's classes are compiled to " + dir);
        JavaClasses tool = new ClassFileImporter().importPath(dir);
        classes().should().onlyDependOnClassesThat().resideInAnyPackage(
                        "io.sluice.tools..", "java..", "io.vertx.core..", "io.netty..", "org.HdrHistogram..", "picocli..")
                .because("the load tool runs from its own jar, against any node, over the public API")
                .check(tool);
    }
}

package io.sluice.fault;

import io.sluice.fault.scenario.Report;
import io.sluice.fault.scenario.ScenarioResult;
import io.sluice.fault.scenario.Scenarios;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The long soak, driven by {@code fault/soak.sh}: runs the scenarios named in
 * {@code sluice.fault.soak} (comma-separated, or {@code all}) one after the other, the combined one
 * for {@code sluice.fault.duration} seconds, and prints (and writes under target/fault-runs) the
 * per-scenario table. Skipped unless {@code sluice.fault.soak} is set, so a plain {@code mvn verify}
 * never runs it.
 */
class SoakIT {
    @BeforeAll
    static void preflight() {
        assumeTrue(System.getProperty("sluice.fault.soak") != null, "the soak runs only through fault/soak.sh (-Dsluice.fault.soak=...)");
        FaultSuite.preflight();
    }

    @Test
    void soak() throws Exception {
        String which = System.getProperty("sluice.fault.soak");
        List<String> names = which.equals("all") ? Scenarios.names() : Arrays.asList(which.split(","));
        if (which.equals("all") && !LossyFs.isAvailable() && !"1".equals(System.getenv(LossyFs.REQUIRE_ENV))) {
            System.out.println("[fault] lossyfs unavailable (" + LossyFs.unavailableReason() + "): the power-cut scenarios are left out");
            names = names.stream().filter(n -> !n.startsWith("power-cut")).toList();
        }
        Duration duration = Duration.ofSeconds(Long.getLong("sluice.fault.duration", 600));
        List<ScenarioResult> results = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                results.add(FaultSuite.run(Scenarios.named(name.strip(), FaultSuite.seed(), duration)));
            } catch (Throwable t) {
                errors.add(name + ": " + t);
                System.out.println("[fault] scenario " + name + " could not complete: " + t);
            }
        }
        String table = "seed " + FaultSuite.seed() + ", combined duration " + duration.toSeconds() + " s\n" + Report.table(results)
                + (errors.isEmpty() ? "" : "not completed: " + errors + "\n");
        System.out.println("===== soak summary =====\n" + table);
        Files.createDirectories(FaultSuite.OUT);
        Files.writeString(FaultSuite.OUT.resolve("soak-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md"), table);
        assertTrue(errors.isEmpty(), "scenarios that could not complete: " + errors);
        if (FaultSuite.expectSafe()) {
            results.forEach(FaultSuite::verdict);
        }
    }
}

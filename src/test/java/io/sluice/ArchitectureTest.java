package io.sluice;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The arrows between rooms (DESIGN.md's map), checked on the compiled broker so that one that
 * was removed does not come back: the interfaces depend on the services, never the reverse; the
 * HTTP and WebSocket adapters share {@code io.sluice.api} rather than each other; the storage
 * engine is plain Java; the event bus room holds messages only.
 */
class ArchitectureTest {
    private static JavaClasses broker;

    @BeforeAll
    static void importTheBroker() {
        broker = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.sluice");
    }

    @Test
    void theApiAdaptersHaveNoCycles() {
        // http, ws and json: http mounts the socket routes, both render with json, and what both
        // need (Params, ApiErrors, Api) is in io.sluice.api, which none of them is.
        slices().matching("io.sluice.api.(*)..").should().beFreeOfCycles().check(broker);
    }

    @Test
    void theServicesAndTheStorageDoNotDependOnTheApi() {
        noClasses().that().resideInAnyPackage("io.sluice.group..", "io.sluice.produce..", "io.sluice.partition..",
                        "io.sluice.cluster..", "io.sluice.log..", "io.sluice.record..")
                .should().dependOnClassesThat().resideInAPackage("io.sluice.api..")
                .because("every interface is a thin adapter over the services, not the other way round")
                .check(broker);
    }

    @Test
    void theStorageEngineIsPlainJava() {
        noClasses().that().resideInAnyPackage("io.sluice.log..", "io.sluice.record..")
                .should().dependOnClassesThat().resideInAPackage("io.vertx..")
                .because("log/ is a plain-Java storage engine, and record/ the format every room shares").check(broker);
    }

    @Test
    void errorCodesAreCommonNotBusMessages() {
        noClasses().that().resideInAPackage("io.sluice.bus..")
                .should().haveSimpleName("ErrorCode").orShould().haveSimpleName("SluiceException")
                .because("bus/ holds event-bus messages and their codecs only").check(broker);
        classes().that().belongToAnyOf(ErrorCode.class, SluiceException.class)
                .should().resideInAPackage("io.sluice.common").check(broker);
    }
}

package dev.egnytebridge;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The directions the packages keep, read from the compiled classes: capabilities depend on each other without cycles,
 * none uses the root package (which assembles them all), and the shared plumbing stays below what uses it.
 */
class PackageDependenciesTest {

    private static final String OURS = "dev.egnytebridge..";

    private static JavaClasses bridge;

    @BeforeAll
    static void importTheBridge() {
        bridge = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.egnytebridge");
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        slices().matching("dev.egnytebridge.(*)..").should().beFreeOfCycles().check(bridge);
    }

    @Test
    void noPackageUsesTheRootPackageThatAssemblesThem() {
        noClasses().that().resideOutsideOfPackage("dev.egnytebridge")
                .should().dependOnClassesThat().resideInAPackage("dev.egnytebridge")
                .check(bridge);
    }

    @Test
    void theRestPlumbingUsesNoOtherPackageOfTheBridge() {
        classes().that().resideInAPackage("dev.egnytebridge.api..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(OURS)
                        .or(resideInAPackage("dev.egnytebridge.api..")))
                .check(bridge);
    }

    @Test
    void egnytesApiClientKnowsNothingOfInstancesPollsOrMetrics() {
        classes().that().resideInAPackage("dev.egnytebridge.egnyte..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(OURS)
                        .or(resideInAnyPackage("dev.egnytebridge.egnyte..", "dev.egnytebridge.api..",
                                "dev.egnytebridge.config..")))
                .check(bridge);
    }

    @Test
    void securityDoesNotUseTheInstances() {
        noClasses().that().resideInAPackage("dev.egnytebridge.security..")
                .should().dependOnClassesThat().resideInAPackage("dev.egnytebridge.instance..")
                .check(bridge);
    }
}

package dev.ser4j.cli;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The command line sits on top of the library: the packages of both form no cycle, no library package uses the
 * command line's, and the commands reach native code only through the backends (the library's own rules are in
 * its {@code ArchitectureTest}).
 */
class CommandLineArchitectureTest {
    static final JavaClasses ALL = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests()).importPackages("dev.ser4j");
    static final String[] COMMAND_LINE = {"dev.ser4j.cli..", "dev.ser4j.synth..", "dev.ser4j.perf.."};

    @Test
    void libraryAndCommandLineFormNoPackageCycle() {
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                return c.getPackageName().startsWith("dev.ser4j") ? SliceIdentifier.of(c.getPackageName()) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() { return "packages of dev.ser4j"; }
        }).should().beFreeOfCycles().check(ALL);
    }

    @Test
    void noCommandImportsANativeBinding() {
        noClasses().that().resideInAnyPackage(COMMAND_LINE).should().dependOnClassesThat().resideInAPackage("dev.ser4j.bindings..").check(ALL);
    }

    @Test
    void theLibraryDoesNotUseTheCommandLine() {
        noClasses().that().resideOutsideOfPackages(COMMAND_LINE).should().dependOnClassesThat().resideInAnyPackage(COMMAND_LINE).check(ALL);
    }
}

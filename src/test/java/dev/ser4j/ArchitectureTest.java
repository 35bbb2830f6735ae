package dev.ser4j;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The library's package graph follows the data flow, with no cycle: the API facade ({@code dev.ser4j}) above
 * pipeline and training, above the model, above the backend contract, which the CPU and CUDA backends implement
 * over the native bindings; {@code core} and {@code io} are the floor every layer stands on. Each rule names, for one
 * package, the packages it may use; anything else in {@code dev.ser4j} is a violation.
 */
class ArchitectureTest {
    /** The library's classes (main code only), imported once. */
    static final JavaClasses LIBRARY = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests()).importPackages("dev.ser4j");

    /** Every package is its own slice, the API package included. */
    static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            return c.getPackageName().startsWith("dev.ser4j") ? SliceIdentifier.of(c.getPackageName()) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() { return "packages of dev.ser4j"; }
    };

    @Test
    void noPackageCycle() {
        slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(LIBRARY);
    }

    @Test
    void onlyTheBackendsUseTheNativeBindings() {
        noClasses().that().resideOutsideOfPackages("dev.ser4j.cpu..", "dev.ser4j.cuda..", "dev.ser4j.bindings..")
                .should().dependOnClassesThat().resideInAPackage("dev.ser4j.bindings..").check(LIBRARY);
    }

    @Test
    void apiUsesNoTraining() {
        layer("", "pipeline", "model", "backend", "runtime", "audio", "text", "core", "io").check(LIBRARY);
    }

    @Test
    void trainingUsesTheModelTheRuntimeAndTheDataSets() {
        // text: an evaluation counts the words outside the model's vocabulary (Vocabulary.UNK)
        layer("train", "model", "backend", "runtime", "data", "text", "core", "io").check(LIBRARY);
    }

    @Test
    void pipelineUsesTheReadersAndTheModelInput() {
        layer("pipeline", "audio", "text", "data", "model", "core", "io").check(LIBRARY);
    }

    @Test
    void readersUseTheFloorOnly() {
        layer("data", "core", "io").check(LIBRARY);
    }

    @Test
    void audioUsesTheFloorOnly() {
        layer("audio", "core", "io").check(LIBRARY);
    }

    @Test
    void textUsesTheFloorOnly() {
        layer("text", "core", "io").check(LIBRARY);
    }

    @Test
    void modelUsesTheBackendContractOnly() {
        layer("model", "backend", "core", "io").check(LIBRARY);
    }

    @Test
    void backendContractKnowsNoImplementation() {
        layer("backend", "core").check(LIBRARY);
    }

    @Test
    void cpuBackendUsesOpenBlasOnly() {
        layer("cpu", "backend", "bindings.openblas", "core").check(LIBRARY);
    }

    @Test
    void cudaBackendUsesTheCudaBindings() {
        layer("cuda", "backend", "bindings.cudart", "bindings.cublas", "bindings.cudnn",
            "bindings.kernels", "core").check(LIBRARY);
    }

    @Test
    void onlyTheRuntimeChoosesABackend() {
        layer("runtime", "backend", "cpu", "cuda", "core").check(LIBRARY);
    }

    @Test
    void ioUsesTheFloorOnly() {
        layer("io", "core").check(LIBRARY);
    }

    @Test
    void coreIsTheFloor() {
        layer("core").check(LIBRARY);
    }

    @Test
    void bindingsUseOnlyTheRuntimeLoader() {
        layer("bindings", "bindings").check(LIBRARY);
    }

    /**
     * Classes of {@code dev.ser4j.<pkg>} (its sub-packages too; {@code ""} is the API package alone) use no
     * {@code dev.ser4j} package but their own and {@code may} (each with its sub-packages).
     */
    static ArchRule layer(String pkg, String... may) {
        String name = pkg.isEmpty() ? "dev.ser4j" : "dev.ser4j." + pkg;
        Set<String> allowed = Arrays.stream(may).map(m -> "dev.ser4j." + m).collect(Collectors.toSet());
        DescribedPredicate<JavaClass> outside = DescribedPredicate.describe(
                "are in dev.ser4j outside " + (allowed.isEmpty() ? "it" : String.join(", ", allowed)),
                c -> c.getPackageName().startsWith("dev.ser4j") && !within(c.getPackageName(), name, pkg.isEmpty())
                        && allowed.stream().noneMatch(a -> within(c.getPackageName(), a, false)));
        var classes = pkg.isEmpty() ? noClasses().that().resideInAPackage(name) : noClasses().that().resideInAPackage(name + "..");
        return classes.should().dependOnClassesThat(outside);
    }

    private static boolean within(String p, String base, boolean exact) {
        return p.equals(base) || !exact && p.startsWith(base + ".");
    }
}

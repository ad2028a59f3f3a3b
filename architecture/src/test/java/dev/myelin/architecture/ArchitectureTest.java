package dev.myelin.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.myelin.Backends;
import dev.myelin.cpu.CpuBackendProvider;
import dev.myelin.cuda.CudaBackendProvider;
import dev.myelin.opencl.OpenClProvider;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rules that keep Myelin easy to change, checked on the compiled classes of every module (their
 * jars or class folders, as the build resolves them; tests excluded).
 */
class ArchitectureTest {

    private static final JavaClasses MYELIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.myelin");

    private static final String[] MODEL_AND_FILES = {"dev.myelin.nn..", "dev.myelin.data..", "dev.myelin.io.."};
    private static final String[] BACKENDS = {"dev.myelin.cpu..", "dev.myelin.opencl..", "dev.myelin.cuda.."};
    private static final String[] CORE = {"dev.myelin", "dev.myelin.spi..", "dev.myelin.nn..", "dev.myelin.data..",
        "dev.myelin.io.."};

    /** Each of Myelin's packages is one slice: a slice is a package, sub-packages apart. */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String p = javaClass.getPackageName();
            return p.equals("dev.myelin") || p.startsWith("dev.myelin.") ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "Myelin's packages";
        }
    };

    @Test
    void theSpiNeedsNothingOfTheModelLayerOrTheFiles() {
        check(noClasses().that().resideInAPackage("dev.myelin.spi..")
                .should().dependOnClassesThat().resideInAnyPackage(MODEL_AND_FILES)
                .because("a backend implements the SPI and must not pull the model layer in"));
    }

    @Test
    void noBackendUsesTheModelLayer() {
        check(noClasses().that().resideInAnyPackage(BACKENDS)
                .should().dependOnClassesThat().resideInAPackage("dev.myelin.nn..")
                .because("backends run kernels; the model layer is built on them, not the other way round"));
    }

    @Test
    void theModelLayerNamesNoBackend() {
        check(noClasses().that().resideInAPackage("dev.myelin.nn..")
                .should().dependOnClassesThat().resideInAnyPackage(BACKENDS)
                .because("a model runs on whichever backend Backends chose, through the SPI only"));
    }

    @Test
    void coreNeverUsesTheCommandLineOrTheBenchmarks() {
        check(noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("dev.myelin.cli..", "dev.myelin.bench..")
                .because("core is the library users depend on; the command line and the benchmarks are built on it"));
    }

    @Test
    void eachBackendIsOnePackage() {
        for (Class<?> provider : new Class<?>[] {CpuBackendProvider.class, OpenClProvider.class,
            CudaBackendProvider.class}) {
            JavaClasses module = new ClassFileImporter().importLocations(Set.of(Location.of(
                    provider.getProtectionDomain().getCodeSource().getLocation())));
            Set<String> packages = module.stream().map(JavaClass::getPackageName)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of(provider.getPackageName()), packages,
                    "every class of the module of " + provider.getSimpleName() + " is in its one package");
        }
    }

    @Test
    void thePackagesHaveNoCycles() {
        check(slices().assignedFrom(PACKAGES).should().beFreeOfCycles());
    }

    @Test
    void theImportSeesEveryModule() {
        // The rules above are only as good as the import: every module's classes must be in it.
        for (Class<?> c : new Class<?>[] {Backends.class, CpuBackendProvider.class, OpenClProvider.class,
            CudaBackendProvider.class, dev.myelin.cli.MyelinCommand.class, dev.myelin.bench.BenchMain.class}) {
            assertEquals(true, MYELIN.contain(c), c + " is imported");
        }
    }

    private static void check(ArchRule rule) {
        rule.check(MYELIN);
    }
}

package dev.myelin.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.spi.Activation;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.UpdateRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The kernel sources against the SPI enums and against the launches in {@link CudaBackend}. */
class KernelSourceTest {

    /** Every enum constant has a case in the kernel file that decodes that enum. */
    @Test
    void everyEnumConstantIsHandled() {
        Map<KernelSource, Map<String, List<? extends Enum<?>>>> handled = Map.of(
                KernelSource.ELEMENTWISE, Map.of("ACT", List.of(Activation.values()), "BIN", List.of(BinaryOp.values())),
                KernelSource.ROWS, Map.of("RED", List.of(Reduction.values())),
                KernelSource.LOSSES, Map.of("LOSS", List.of(ElementLoss.values())),
                KernelSource.OPTIMIZERS, Map.of("RULE", List.of(UpdateRule.values())));
        String preamble = KernelSource.preamble();
        handled.forEach((source, groups) -> groups.forEach((group, constants) -> {
            for (Enum<?> c : constants) {
                String macro = KernelSource.macro(group, c);
                assertTrue(preamble.contains("#define " + macro + " " + c.ordinal() + "\n"), macro);
                if (source != KernelSource.ROWS) {
                    assertTrue(source.body().contains("case " + macro + ":"), source.fileName() + " lacks " + macro);
                }
            }
        }));
        // Reductions are combined by a default branch (the sums) and named branches (max, min, ...).
        String rows = KernelSource.ROWS.body();
        for (String r : List.of("MAX", "MIN", "MEAN", "SUM_ABS", "SUM_SQUARES")) {
            assertTrue(rows.contains("MYELIN_RED_" + r), "rows.cu lacks MYELIN_RED_" + r);
        }
    }

    @Test
    void epsilonIsExact() {
        assertTrue(KernelSource.preamble().contains("#define MYELIN_EPS " + Float.toHexString(ElementLoss.EPS) + "f\n"));
        assertEquals(1e-7f, Float.parseFloat(Float.toHexString(ElementLoss.EPS)));
    }

    /** The kernel names CudaBackend launches exist, as extern "C" entry points, in the file it names. */
    @Test
    void everyLaunchedKernelExists() throws IOException {
        Path backend = Path.of("src/main/java/dev/myelin/cuda/CudaBackend.java");
        String java = Files.readString(backend);
        Matcher m = Pattern.compile("KernelSource\\.(\\w+), \"(\\w+)\"").matcher(java);
        int launches = 0;
        while (m.find()) {
            KernelSource source = KernelSource.valueOf(m.group(1));
            String kernel = m.group(2);
            assertTrue(source.body().contains("extern \"C\" __global__ void " + kernel + "("),
                    source.fileName() + " has no kernel " + kernel);
            launches++;
        }
        assertTrue(launches >= 16, "found only " + launches + " launches in " + backend);
    }

    @Test
    void entryPointsAreUniqueAcrossFiles() {
        List<String> names = java.util.Arrays.stream(KernelSource.values())
                .flatMap(s -> entryPoints(s.body()).stream()).toList();
        assertEquals(names.size(), names.stream().distinct().count(), names.toString());
    }

    @Test
    void hashDependsOnTheSource() {
        assertEquals(64, KernelSource.ROWS.sha256().length());
        assertEquals(KernelSource.ROWS.sha256(), KernelSource.ROWS.sha256());
        assertNotEquals(KernelSource.ROWS.sha256(), KernelSource.LOSSES.sha256());
        assertTrue(KernelSource.LOSSES.source().startsWith(KernelSource.preamble()));
    }

    static List<String> entryPoints(String body) {
        Matcher m = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(").matcher(body);
        return m.results().map(r -> r.group(1)).collect(Collectors.toList());
    }
}

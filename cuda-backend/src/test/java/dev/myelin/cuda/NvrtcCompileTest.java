package dev.myelin.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel file compiles with each NVRTC installed here, through each binding that can load it,
 * to PTX and to CUBIN for sm_80 and sm_90 where that NVRTC supports them. NVRTC needs no GPU, only
 * its library; where none is installed the test is skipped with what was looked for.
 */
class NvrtcCompileTest {

    record Compiler(String name, RuntimeCompiler compiler) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> compilers() {
        CudaLibraries libs = CudaLibraries.locate(new SystemLibraryLookup());
        List<Arguments> all = new ArrayList<>();
        for (int major : libs.nvrtcMajors()) {
            Path lib = libs.path(CudaLibraries.nvrtc(major)).orElseThrow();
            all.add(Arguments.of(new Compiler("NVRTC " + major + " foreign", new ForeignNvrtc(lib))));
            if (major == 12) {
                System.load(lib.toString());
                all.add(Arguments.of(new Compiler("NVRTC 12 JNvrtc", new JNvrtcCompiler())));
            }
        }
        if (all.isEmpty()) {
            all.add(Arguments.of((Object) null));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilers")
    void everyKernelCompiles(Compiler c) {
        if (c == null) {
            Assumptions.assumeTrue(false, "no NVRTC installed: " + CudaLibraries.locate(new SystemLibraryLookup()).report());
        }
        RuntimeCompiler nvrtc = c.compiler();
        int compiled = 0;
        for (int arch : new int[] {80, 90}) {
            if (Arrays.stream(nvrtc.supportedArchs()).noneMatch(a -> a == arch)) {
                continue;
            }
            for (KernelSource s : KernelSource.values()) {
                byte[] ptx = nvrtc.compile(s.source(), s.fileName(), List.of("--gpu-architecture=compute_" + arch), false);
                assertEquals(0, ptx[ptx.length - 1], "PTX ends with NUL");
                String text = new String(ptx, 0, ptx.length - 1, StandardCharsets.US_ASCII);
                for (String kernel : KernelSourceTest.entryPoints(s.body())) {
                    assertTrue(text.contains(".entry " + kernel + "("), s.fileName() + " lacks " + kernel);
                }
                byte[] cubin = nvrtc.compile(s.source(), s.fileName(), List.of("--gpu-architecture=sm_" + arch), true);
                // An ELF image: 0x7f 'E' 'L' 'F'.
                assertTrue(cubin.length > 4 && cubin[0] == 0x7f && cubin[1] == 'E' && cubin[2] == 'L' && cubin[3] == 'F',
                        s.fileName() + " sm_" + arch + " is not an ELF CUBIN");
                compiled++;
            }
        }
        assertTrue(compiled > 0, c + " supports neither sm_80 nor sm_90: " + Arrays.toString(nvrtc.supportedArchs()));
    }
}

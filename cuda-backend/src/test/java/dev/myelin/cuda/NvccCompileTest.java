package dev.myelin.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel file, with the generated preamble, compiles with nvcc to PTX for the default
 * architecture, sm_80 and sm_90, with warnings as errors, and exports every kernel it declares.
 * Where no nvcc is installed the test is skipped with that reason. (NVRTC, which compiles them at
 * run time, is the same front end as nvcc.)
 */
class NvccCompileTest {

    @TempDir
    Path dir;

    static Optional<Path> nvcc() {
        Path fixed = Path.of("/usr/local/cuda/bin/nvcc");
        if (Files.isExecutable(fixed)) {
            return Optional.of(fixed);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(d, "nvcc");
                if (!d.isEmpty() && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    static Stream<Arguments> sourcesAndArchitectures() {
        List<Arguments> all = new ArrayList<>();
        for (KernelSource s : KernelSource.values()) {
            for (String arch : new String[] {"", "sm_80", "sm_90"}) {
                all.add(Arguments.of(s, arch));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("sourcesAndArchitectures")
    void compilesToPtx(KernelSource source, String arch) throws IOException, InterruptedException {
        Optional<Path> nvcc = nvcc();
        if (nvcc.isEmpty()) {
            Assumptions.assumeTrue(false, "nvcc not found (looked at /usr/local/cuda/bin/nvcc and on PATH)");
        }
        Path cu = Files.writeString(dir.resolve(source.fileName()), source.source());
        Path ptx = dir.resolve(source.fileName() + ".ptx");
        List<String> cmd = new ArrayList<>(List.of(nvcc.get().toString(), "-ptx", "--Werror", "all-warnings"));
        if (!arch.isEmpty()) {
            cmd.add("-arch=" + arch);
        }
        cmd.addAll(List.of(cu.toString(), "-o", ptx.toString()));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("nvcc did not finish: " + cmd);
        }
        if (p.exitValue() != 0) {
            fail("nvcc failed (" + p.exitValue() + ") on " + source.fileName() + ": " + String.join(" ", cmd) + "\n"
                    + output);
        }
        String text = Files.readString(ptx);
        for (String kernel : KernelSourceTest.entryPoints(source.body())) {
            assertTrue(text.contains(".entry " + kernel + "("), source.fileName() + ": no .entry " + kernel);
        }
        if (!arch.isEmpty()) {
            assertTrue(text.contains(".target " + arch), text.lines().limit(20).toList().toString());
        }
    }
}

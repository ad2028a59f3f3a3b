package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector}, as a user's own program may be,
 * logs one WARNING that names the flag, however many CPU backends it opens and from however many
 * threads. Checked in a child JVM: this one has the module, and the warning is once per JVM.
 */
class ScalarPathWarningTest {

    @Test
    void aJvmWithoutTheVectorModuleWarnsExactlyOnceAndNamesTheFlag() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                ScalarPathWarningMain.class.getName()))
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM finished");
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains(ScalarPathWarningMain.DONE), output);

        int times = 0;
        for (int at = output.indexOf(VectorSupport.SCALAR_WARNING); at >= 0;
                at = output.indexOf(VectorSupport.SCALAR_WARNING, at + 1)) {
            times++;
        }
        assertEquals(1, times, output);
        assertTrue(output.contains("WARNING: " + VectorSupport.SCALAR_WARNING), output);
        assertTrue(VectorSupport.SCALAR_WARNING.contains("--add-modules jdk.incubator.vector"));
        assertTrue(VectorSupport.SCALAR_WARNING.contains("10x slower"));
    }
}

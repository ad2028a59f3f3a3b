package dev.myelin.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the system lookup searches, on a file tree laid out under a temporary root. */
class SystemLibraryLookupTest {

    @TempDir
    Path root;

    private Path touch(String relative) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, "");
    }

    @Test
    void findsCudaInstallationsUnderUsrLocalNewestFirst() throws IOException {
        touch("usr/local/cuda-12.6/targets/x86_64-linux/lib/libcublas.so.12");
        Path newer = touch("usr/local/cuda-12.10/lib64/libcublas.so.12");
        Path thirteen = touch("usr/local/cuda-13.0/lib64/libnvrtc.so.13");
        SystemLibraryLookup lookup = new SystemLibraryLookup(root, Map.of(), "");
        assertEquals(Optional.of(newer), lookup.find("libcublas.so.12"));
        assertEquals(Optional.of(thirteen), lookup.find("libnvrtc.so.13"));
        assertEquals(Optional.empty(), lookup.find("libcuda.so.1"));
        List<Path> dirs = lookup.directories();
        assertTrue(dirs.indexOf(root.resolve("usr/local/cuda-13.0/lib64"))
                < dirs.indexOf(root.resolve("usr/local/cuda-12.10/lib64")), dirs.toString());
        assertTrue(dirs.indexOf(root.resolve("usr/local/cuda-12.10/lib64"))
                < dirs.indexOf(root.resolve("usr/local/cuda-12.6/lib64")), dirs.toString());
    }

    @Test
    void theUnversionedCudaLinkComesFirst() throws IOException {
        touch("usr/local/cuda-13.0/lib64/libcublas.so.13");
        Path plain = touch("usr/local/cuda/lib64/libcublas.so.13");
        assertEquals(Optional.of(plain), new SystemLibraryLookup(root, Map.of(), "").find("libcublas.so.13"));
    }

    @Test
    void propertyThenLdLibraryPathThenCudaHomeComeBeforeTheInstallations() throws IOException {
        touch("usr/local/cuda/lib64/libnvrtc.so.13");
        Path home = touch("opt/cuda-home/lib64/libnvrtc.so.13");
        Path ld = touch("ld/one/libnvrtc.so.13");
        Path extra = touch("extra/libnvrtc.so.13");
        Map<String, String> env = Map.of("CUDA_HOME", root.resolve("opt/cuda-home").toString());
        assertEquals(Optional.of(home), new SystemLibraryLookup(root, env, "").find("libnvrtc.so.13"));
        env = Map.of("CUDA_HOME", root.resolve("opt/cuda-home").toString(), "LD_LIBRARY_PATH",
                root.resolve("ld/empty") + ":" + root.resolve("ld/one"));
        assertEquals(Optional.of(ld), new SystemLibraryLookup(root, env, "").find("libnvrtc.so.13"));
        assertEquals(Optional.of(extra),
                new SystemLibraryLookup(root, env, root.resolve("extra").toString()).find("libnvrtc.so.13"));
    }

    @Test
    void readsLdSoConfAndTheStandardDirectories() throws IOException {
        Files.createDirectories(root.resolve("etc/ld.so.conf.d"));
        Files.writeString(root.resolve("etc/ld.so.conf.d/nvidia.conf"), "# driver\n/opt/nvidia/lib\n\ninclude x\n");
        Path driver = touch("opt/nvidia/lib/libcuda.so.1");
        assertEquals(Optional.of(driver), new SystemLibraryLookup(root, Map.of(), "").find("libcuda.so.1"));
        Files.delete(driver);
        Path wsl = touch("usr/lib/wsl/lib/libcuda.so.1");
        assertEquals(Optional.of(wsl), new SystemLibraryLookup(root, Map.of(), "").find("libcuda.so.1"));
        Path system = touch("usr/lib/x86_64-linux-gnu/libcuda.so.1");
        assertEquals(Optional.of(system), new SystemLibraryLookup(root, Map.of(), "").find("libcuda.so.1"));
    }

    @Test
    void aDirectoryIsNotALibrary() throws IOException {
        Files.createDirectories(root.resolve("usr/lib/libcuda.so.1"));
        assertEquals(Optional.empty(), new SystemLibraryLookup(root, Map.of(), "").find("libcuda.so.1"));
    }

    @Test
    void placesNameTheSearch() {
        String places = new SystemLibraryLookup(root, Map.of(), "").places();
        assertTrue(places.contains("LD_LIBRARY_PATH") && places.contains("/usr/local/cuda*/lib64"), places);
    }
}

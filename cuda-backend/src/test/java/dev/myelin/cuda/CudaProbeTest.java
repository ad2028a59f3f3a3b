package dev.myelin.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.myelin.BackendUnavailableException;
import dev.myelin.spi.Availability;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The probe's verdicts on simulated installations: which libraries exist, what the driver says. */
class CudaProbeTest {

    private static final CudaDevice H100 = new CudaDevice(0, "NVIDIA H100 80GB HBM3", 9, 0, 85_031_714_816L, 132, true);
    private static final Set<String> CUDA12 = Set.of("libcublas.so.12", "libcublasLt.so.12", "libnvrtc.so.12");
    private static final Set<String> CUDA13 = Set.of("libcublas.so.13", "libcublasLt.so.13", "libnvrtc.so.13");

    /** A lookup that finds exactly {@code present}, each at /sim/lib/<soname>. */
    private static LibraryLookup installed(Set<String> present) {
        return LibraryLookup.of(s -> present.contains(s) ? Optional.of(Path.of("/sim/lib", s)) : Optional.empty(),
                "the simulated /sim/lib");
    }

    private static Set<String> with(Set<String> a, String... more) {
        java.util.HashSet<String> s = new java.util.HashSet<>(a);
        s.addAll(List.of(more));
        return s;
    }

    private static DriverQuery driver(int version, CudaDevice... devices) {
        return () -> DriverQuery.Survey.of(version, List.of(devices));
    }

    private static final DriverQuery NOT_ASKED = () -> fail("the driver must not be asked when libcuda.so.1 is missing");

    private static CudaPlan plan(Set<String> present, DriverQuery driver) {
        return CudaProbe.plan(CudaLibraries.locate(installed(present)), driver, 0);
    }

    @Test
    void noDriverNamesLibcudaAndEveryMissingLibrary() {
        CudaPlan p = plan(Set.of(), NOT_ASKED);
        Availability a = p.availability();
        assertFalse(a.available());
        assertEquals("cuda", a.backend());
        String d = a.detail();
        assertTrue(d.startsWith("no NVIDIA driver: libcuda.so.1 not found"), d);
        assertTrue(d.contains("cuBLAS not found: looked for libcublas.so.12 with libcublasLt.so.12 or libcublas.so.13"
                + " with libcublasLt.so.13"), d);
        assertTrue(d.contains("NVRTC not found: looked for libnvrtc.so.12 or libnvrtc.so.13"), d);
        assertTrue(d.endsWith("Libraries: not found: libcuda.so.1, libcublas.so.12, libcublasLt.so.12, libnvrtc.so.12, "
                + "libcublas.so.13, libcublasLt.so.13, libnvrtc.so.13 (searched the simulated /sim/lib)"), d);
        assertNull(p.blas());
        assertNull(p.compiler());
    }

    @Test
    void noDriverButLibrariesStillSaysNoDriverOnly() {
        Availability a = plan(CUDA13, NOT_ASKED).availability();
        assertFalse(a.available());
        assertTrue(a.detail().startsWith("no NVIDIA driver: libcuda.so.1 not found"), a.detail());
        assertFalse(a.detail().contains("cuBLAS not found"), a.detail());
        assertFalse(a.detail().contains("NVRTC not found"), a.detail());
        assertTrue(a.detail().contains("Libraries: found libcublas.so.13 at /sim/lib/libcublas.so.13"), a.detail());
    }

    @Test
    void driverWithoutCublasNamesCublasOnly() {
        CudaPlan p = plan(Set.of("libcuda.so.1", "libnvrtc.so.12"), driver(12040, H100));
        Availability a = p.availability();
        assertFalse(a.available());
        assertTrue(a.detail().startsWith("cuBLAS not found: looked for libcublas.so.12 with libcublasLt.so.12"),
                a.detail());
        assertFalse(a.detail().contains("NVRTC not found"), a.detail());
        assertFalse(a.detail().contains("driver:"), a.detail());
        assertTrue(a.detail().contains("found libcuda.so.1 at /sim/lib/libcuda.so.1"), a.detail());
        assertEquals(H100, p.device());
    }

    @Test
    void cublasWithoutItsLtLibraryIsNotEnough() {
        Availability a = plan(Set.of("libcuda.so.1", "libcublas.so.13", "libnvrtc.so.13"), driver(13000, H100))
                .availability();
        assertFalse(a.available());
        assertTrue(a.detail().contains("cuBLAS not found"), a.detail());
        assertTrue(a.detail().contains("not found: libcublas.so.12, libcublasLt.so.12, libnvrtc.so.12, libcublasLt.so.13"), a.detail());
    }

    @Test
    void cuda12LibrariesUseJcuda() {
        CudaPlan p = plan(with(CUDA12, "libcuda.so.1"), driver(12040, H100));
        Availability a = p.availability();
        assertTrue(a.available(), a.detail());
        assertEquals(Availability.RANK_GPU + 20, a.rank());
        assertEquals("NVIDIA H100 80GB HBM3 (device 0, compute capability 9.0, 79.2 GiB, 132 SMs)", a.device());
        assertEquals("driver CUDA 12.4; cuBLAS 12 (/sim/lib/libcublas.so.12) via JCuda; "
                + "NVRTC 12 (/sim/lib/libnvrtc.so.12) via JCuda", a.detail());
        assertTrue(p.blas().jcuda());
        assertEquals(Optional.of(Path.of("/sim/lib/libcublasLt.so.12")), p.blas().companion());
        assertTrue(p.compiler().jcuda());
    }

    @Test
    void cuda13OnlyUsesTheForeignFunctionApi() {
        CudaPlan p = plan(with(CUDA13, "libcuda.so.1"), driver(13000, H100));
        Availability a = p.availability();
        assertTrue(a.available(), a.detail());
        assertEquals("driver CUDA 13.0; cuBLAS 13 (/sim/lib/libcublas.so.13) via java.lang.foreign; "
                + "NVRTC 13 (/sim/lib/libnvrtc.so.13) via java.lang.foreign", a.detail());
        assertFalse(p.blas().jcuda());
        assertEquals(13, p.blas().major());
        assertFalse(p.compiler().jcuda());
    }

    @Test
    void bothVersionsPreferCuda12ThroughJcuda() {
        Set<String> both = with(with(CUDA12, CUDA13.toArray(String[]::new)), "libcuda.so.1");
        CudaPlan p = plan(both, driver(13000, H100));
        assertTrue(p.availability().available());
        assertEquals(12, p.blas().major());
        assertEquals(12, p.compiler().major());
    }

    @Test
    void cuda13LibrariesOnACuda12DriverNeedANewerDriver() {
        Availability a = plan(with(CUDA13, "libcuda.so.1"), driver(12020, H100)).availability();
        assertFalse(a.available());
        assertTrue(a.detail().contains("cuBLAS [13] needs a newer driver: the driver supports CUDA 12.2"), a.detail());
        assertTrue(a.detail().contains("NVRTC [13] needs a newer driver"), a.detail());
    }

    @Test
    void mixedInstallationTakesEachLibraryFromWhatExists() {
        Set<String> mixed = Set.of("libcuda.so.1", "libcublas.so.12", "libcublasLt.so.12", "libnvrtc.so.13");
        CudaPlan p = plan(mixed, driver(13000, H100));
        assertTrue(p.availability().available(), p.availability().detail());
        assertTrue(p.blas().jcuda());
        assertFalse(p.compiler().jcuda());
    }

    @Test
    void driverThatCannotBeInitialisedIsQuoted() {
        DriverQuery broken = () -> DriverQuery.Survey.failed("cuInit failed: CUDA_ERROR_NO_DEVICE (100): the driver sees no GPU");
        Availability a = plan(with(CUDA13, "libcuda.so.1"), broken).availability();
        assertFalse(a.available());
        assertTrue(a.detail().startsWith("cuInit failed: CUDA_ERROR_NO_DEVICE (100): the driver sees no GPU"), a.detail());
    }

    @Test
    void driverWithoutDevices() {
        Availability a = plan(with(CUDA13, "libcuda.so.1"), driver(13000)).availability();
        assertFalse(a.available());
        assertTrue(a.detail().startsWith("no CUDA device: the driver (CUDA 13.0) reports none"), a.detail());
    }

    @Test
    void deviceOrdinalOutOfRange() {
        CudaPlan p = CudaProbe.plan(CudaLibraries.locate(installed(with(CUDA13, "libcuda.so.1"))), driver(13000, H100), 3);
        assertFalse(p.availability().available());
        assertTrue(p.availability().detail().startsWith("device 3 (myelin.cuda.device) does not exist: the driver "
                + "reports 1 device(s)"), p.availability().detail());
    }

    @Test
    void aDriverQueryThatThrowsBecomesAReason() {
        DriverQuery throwing = () -> {
            throw new UnsatisfiedLinkError("libJCudaDriver: undefined symbol cuFoo");
        };
        Availability a = plan(with(CUDA13, "libcuda.so.1"), throwing).availability();
        assertFalse(a.available());
        assertTrue(a.detail().contains("asking the CUDA driver failed: java.lang.UnsatisfiedLinkError: "
                + "libJCudaDriver: undefined symbol cuFoo"), a.detail());
    }

    @Test
    void providerProbeNeverThrowsEvenWhenTheLookupDoes() {
        CudaBackendProvider p = new CudaBackendProvider(() -> {
            throw new IllegalStateException("no file system");
        }, NOT_ASKED);
        Availability a = p.probe();
        assertFalse(a.available());
        assertTrue(a.detail().contains("no file system"), a.detail());
    }

    @Test
    void aLookupFailingForOneNameCountsAsNotFound() {
        LibraryLookup flaky = LibraryLookup.of(s -> {
            if (s.startsWith("libnvrtc")) {
                throw new SecurityException("denied");
            }
            return with(CUDA13, "libcuda.so.1").contains(s) ? Optional.of(Path.of("/sim", s)) : Optional.empty();
        }, "flaky");
        CudaPlan p = CudaProbe.plan(CudaLibraries.locate(flaky), driver(13000, H100), 0);
        assertTrue(p.availability().detail().startsWith("NVRTC not found"), p.availability().detail());
    }

    @Test
    void createOnAnUnavailableInstallationQuotesTheReason() {
        CudaBackendProvider p = new CudaBackendProvider(() -> installed(Set.of()), NOT_ASKED);
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, p::create);
        assertTrue(e.getMessage().startsWith("backend 'cuda' is unavailable: no NVIDIA driver: libcuda.so.1 not found"),
                e.getMessage());
    }

    @Test
    void aStartThatFailsAfterAGoodProbeIsAnUnavailableBackendNamingTheDevice() {
        // The probe trusts the simulated files and driver; opening them for real cannot work.
        CudaBackendProvider p = new CudaBackendProvider(() -> installed(with(CUDA13, "libcuda.so.1")),
                driver(13000, H100));
        assertTrue(p.probe().available());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, p::create);
        assertTrue(e.getMessage().startsWith("backend 'cuda' could not start on NVIDIA H100 80GB HBM3 (device 0, "
                + "compute capability 9.0"), e.getMessage());
    }

    @Test
    void badDevicePropertyIsAReasonNotACrash() {
        String old = System.getProperty(CudaBackendProvider.DEVICE_PROPERTY);
        System.setProperty(CudaBackendProvider.DEVICE_PROPERTY, "first");
        try {
            Availability a = new CudaBackendProvider(() -> installed(Set.of()), NOT_ASKED).probe();
            assertFalse(a.available());
            assertEquals("myelin.cuda.device must be a device number, got 'first'", a.detail());
        } finally {
            if (old == null) {
                System.clearProperty(CudaBackendProvider.DEVICE_PROPERTY);
            } else {
                System.setProperty(CudaBackendProvider.DEVICE_PROPERTY, old);
            }
        }
    }

    @Test
    void librariesReportEverythingAskedFor() {
        CudaLibraries libs = CudaLibraries.locate(installed(Set.of("libcuda.so.1", "libnvrtc.so.13")));
        assertEquals("found libcuda.so.1 at /sim/lib/libcuda.so.1, libnvrtc.so.13 at /sim/lib/libnvrtc.so.13; "
                + "not found: libcublas.so.12, libcublasLt.so.12, libnvrtc.so.12, libcublas.so.13, libcublasLt.so.13",
                libs.report());
        assertEquals("not found: libcuda.so.1, libcublas.so.12, libcublasLt.so.12, libnvrtc.so.12, libcublas.so.13, "
                + "libcublasLt.so.13, libnvrtc.so.13", CudaLibraries.locate(installed(Set.of())).report());
        assertEquals(List.of(13), libs.nvrtcMajors());
        assertEquals(List.of(), libs.cublasMajors());
        assertThrows(IllegalArgumentException.class, () -> libs.path("libfoo.so"));
    }
}

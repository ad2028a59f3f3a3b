package dev.myelin.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.BackendUnavailableException;
import dev.myelin.Backends;
import dev.myelin.spi.Availability;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe's choices and reasons, with the driver simulated by a {@link DeviceDiscovery} that fails on purpose. */
class OpenClProbeTest {

    private static ClDevice device(int index, String name, ClDevice.Type type, int units, int clc) {
        return new ClDevice(0, index, "Test Platform (OpenCL 3.0)", name, type, units, 1024, 65536, false, 4,
                8L << 30, 2L << 30, clc, true, true);
    }

    private static final ClDevice CPU = device(0, "pthread-test-cpu", ClDevice.Type.CPU, 2, 12);
    private static final ClDevice GPU = device(1, "Test GPU 9000", ClDevice.Type.GPU, 80, 30);

    private static Availability probe(DeviceDiscovery d, String selector) {
        return OpenClProbe.probe(d, selector).availability();
    }

    @Test
    void missingIcdLoaderNamesThePackage() {
        Availability a = probe(() -> {
            throw new UnsatisfiedLinkError("libOpenCL.so.1: cannot open shared object file: No such file or directory");
        }, null);
        assertFalse(a.available());
        assertTrue(a.detail().contains("libOpenCL.so.1"), a.detail());
        assertTrue(a.detail().contains("ocl-icd-libopencl1"), a.detail());
    }

    @Test
    void noPlatformSuggestsADriver() {
        Availability a = probe(() -> new DeviceDiscovery.Result(0, List.of()), null);
        assertFalse(a.available());
        assertTrue(a.detail().contains("no OpenCL platform") && a.detail().contains("pocl-opencl-icd"), a.detail());
    }

    @Test
    void platformWithoutDevice() {
        Availability a = probe(() -> new DeviceDiscovery.Result(1, List.of()), null);
        assertFalse(a.available());
        assertTrue(a.detail().contains("no device"), a.detail());
    }

    @Test
    void deviceThatLacksOpenClC12IsRejectedWithTheReason() {
        Availability a = probe(() -> new DeviceDiscovery.Result(1,
                List.of(device(0, "old gpu", ClDevice.Type.GPU, 4, 11))), null);
        assertFalse(a.available());
        assertTrue(a.detail().contains("old gpu") && a.detail().contains("OpenCL C 1.2"), a.detail());
    }

    @Test
    void anyOtherFailureIsAReasonNotAnException() {
        Availability a = probe(() -> {
            throw new IllegalStateException("driver crashed");
        }, null);
        assertFalse(a.available());
        assertTrue(a.detail().contains("driver crashed") && a.detail().contains("clinfo"), a.detail());
    }

    @Test
    void gpuRanksAboveJavaCpuAndCpuDeviceBelow() {
        OpenClProbe.Selection both = OpenClProbe.probe(() -> new DeviceDiscovery.Result(1, List.of(CPU, GPU)), null);
        assertEquals(GPU, both.device());
        assertEquals(Availability.RANK_GPU + OpenClProbe.GPU_BONUS, both.availability().rank());
        assertTrue(both.availability().device().contains("Test GPU 9000")
                && both.availability().device().contains("80 compute units"), both.availability().device());

        Availability cpu = probe(() -> new DeviceDiscovery.Result(1, List.of(CPU)), null);
        assertTrue(cpu.available());
        assertEquals(Availability.RANK_OPENCL_CPU, cpu.rank());
        assertTrue(cpu.rank() < Availability.RANK_JAVA_CPU);
        assertTrue(cpu.detail().contains("below the Java CPU backend"), cpu.detail());
    }

    @Test
    void propertyPicksByIndexOrNameAndReportsNoMatch() {
        DeviceDiscovery two = () -> new DeviceDiscovery.Result(1, List.of(CPU, GPU));
        assertEquals(CPU, OpenClProbe.probe(two, "0").device());
        assertEquals(CPU, OpenClProbe.probe(two, "PTHREAD").device());
        assertEquals(GPU, OpenClProbe.probe(two, "test gpu").device());
        OpenClProbe.Selection none = OpenClProbe.probe(two, "7");
        assertNull(none.device());
        assertTrue(none.availability().detail().contains(OpenClProbe.DEVICE_PROPERTY)
                && none.availability().detail().contains("1: Test GPU 9000"), none.availability().detail());
    }

    @Test
    void providerCreateQuotesTheReason() {
        OpenClProvider p = new OpenClProvider(() -> {
            throw new UnsatisfiedLinkError("libOpenCL.so.1: cannot open shared object file");
        });
        assertEquals("opencl", p.name());
        assertFalse(p.probe().available());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, p::create);
        assertTrue(e.getMessage().contains("ocl-icd-libopencl1"), e.getMessage());
    }

    @Test
    void describeListsTheOpenClProviderWhateverIsInstalled() {
        String table = Backends.describe();
        assertTrue(table.contains("opencl"), table);
        Availability real = new OpenClProvider().probe();
        assertTrue(table.contains(real.available() ? real.device() : real.detail()), table);
    }
}

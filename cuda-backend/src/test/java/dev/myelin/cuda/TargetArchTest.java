package dev.myelin.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TargetArchTest {

    private static final int[] NVRTC13 = {75, 80, 86, 87, 89, 90, 100, 103, 110, 120, 121};
    private static final int[] NVRTC12_2 = {50, 52, 53, 60, 61, 62, 70, 72, 75, 80, 86, 87, 89, 90};

    @Test
    void aKnownArchitectureGetsACubin() {
        TargetArch t = TargetArch.choose(9, 0, NVRTC13, "13.0");
        assertEquals(new TargetArch(90, true), t);
        assertEquals("--gpu-architecture=sm_90", t.option());
    }

    @Test
    void aDeviceNewerThanNvrtcGetsPtxForTheNewestItKnows() {
        TargetArch t = TargetArch.choose(12, 0, NVRTC12_2, "12.2");
        assertEquals(new TargetArch(90, false), t);
        assertEquals("--gpu-architecture=compute_90", t.option());
    }

    @Test
    void anUnlistedMinorFallsBackToTheClosestOlderArchitecture() {
        assertEquals(new TargetArch(80, false), TargetArch.choose(8, 5, NVRTC13, "13.0"));
    }

    @Test
    void aDeviceOlderThanNvrtcSupportsIsRefusedWithAHint() {
        CudaException e = assertThrows(CudaException.class, () -> TargetArch.choose(7, 0, NVRTC13, "13.0"));
        assertEquals("NVRTC 13.0 compiles for sm_75 to sm_121, the device is sm_70 (compute capability 7.0): install "
                + "the NVRTC of an older CUDA release that still supports it", e.getMessage());
        assertTrue(TargetArch.choose(7, 0, NVRTC12_2, "12.2").cubin());
    }
}

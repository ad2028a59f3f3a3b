package dev.myelin.cuda;

import java.util.Arrays;

/**
 * What NVRTC compiles the kernels for on a device.
 *
 * <p>Where NVRTC knows the device's architecture it emits a CUBIN for it ({@code sm_XY}): machine
 * code the driver loads as is, which also works when the driver is an older minor release than
 * NVRTC (PTX from a newer NVRTC can carry an ISA version an older driver cannot JIT). A device
 * newer than NVRTC gets PTX for the newest architecture NVRTC knows ({@code compute_XY}), which the
 * driver compiles forward. A device older than every architecture NVRTC supports (CUDA 13 dropped
 * Maxwell, Pascal and Volta) cannot be served by this NVRTC.
 *
 * @param arch  {@code 10 major + minor} of the target
 * @param cubin whether the image is a CUBIN ({@code sm_}) rather than PTX ({@code compute_})
 */
record TargetArch(int arch, boolean cubin) {

    /** Chooses the target for a device of compute capability {@code major.minor}. */
    static TargetArch choose(int major, int minor, int[] supported, String nvrtcVersion) {
        int device = 10 * major + minor;
        int best = -1;
        for (int a : supported) {
            if (a == device) {
                return new TargetArch(device, true);
            }
            if (a < device && a > best) {
                best = a;
            }
        }
        if (best < 0) {
            throw new CudaException("NVRTC " + nvrtcVersion + " compiles for " + range(supported)
                    + ", the device is sm_" + device + " (compute capability " + major + "." + minor
                    + "): install the NVRTC of an older CUDA release that still supports it");
        }
        return new TargetArch(best, false);
    }

    /** The NVRTC option, e.g. {@code --gpu-architecture=sm_90}. */
    String option() {
        return "--gpu-architecture=" + (cubin ? "sm_" : "compute_") + arch;
    }

    private static String range(int[] supported) {
        if (supported.length == 0) {
            return "no architecture";
        }
        int[] s = supported.clone();
        Arrays.sort(s);
        return "sm_" + s[0] + " to sm_" + s[s.length - 1];
    }
}

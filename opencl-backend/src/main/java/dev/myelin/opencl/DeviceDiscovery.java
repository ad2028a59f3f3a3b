package dev.myelin.opencl;

import java.util.List;

/**
 * Lists the OpenCL devices of every platform. The real implementation ({@link JoclDiscovery}) loads
 * JOCL's native library and the ICD loader; tests substitute one that fails the way a machine
 * without OpenCL does, so the probe's reasons can be checked without uninstalling anything.
 */
@FunctionalInterface
interface DeviceDiscovery {

    /**
     * The platforms found and their devices.
     *
     * @throws Throwable whatever loading or querying the driver throws (UnsatisfiedLinkError when the
     *                   native libraries are missing); {@link OpenClProbe} turns it into a reason
     */
    Result discover() throws Throwable;

    /** {@code platforms} is the number of platforms; {@code devices} those of all platforms in order. */
    record Result(int platforms, List<ClDevice> devices) {
        public Result {
            devices = List.copyOf(devices);
        }
    }
}

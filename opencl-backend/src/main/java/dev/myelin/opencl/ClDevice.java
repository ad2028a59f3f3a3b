package dev.myelin.opencl;

import java.util.Locale;

/**
 * What the backend needs to know about one OpenCL device, read once by {@link DeviceDiscovery}.
 * Pure data, so that device choice and ranking can be tested without a driver.
 *
 * @param platformIndex   index of the platform in {@code clGetPlatformIDs}
 * @param deviceIndex     index of the device within its platform
 * @param platform        platform name and version, e.g. "Portable Computing Language (OpenCL 3.0 PoCL 3.1)"
 * @param name            device name
 * @param type            GPU, CPU, ACCELERATOR or OTHER
 * @param computeUnits    {@code CL_DEVICE_MAX_COMPUTE_UNITS}
 * @param maxWorkGroup    {@code CL_DEVICE_MAX_WORK_GROUP_SIZE}
 * @param localMemBytes   {@code CL_DEVICE_LOCAL_MEM_SIZE}
 * @param localMemIsGlobal whether local memory is emulated in global memory ({@code CL_GLOBAL})
 * @param vectorWidth     {@code CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT}
 * @param globalMemBytes  {@code CL_DEVICE_GLOBAL_MEM_SIZE}
 * @param maxAllocBytes   {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}
 * @param clcVersion      OpenCL C version as major*10+minor (12 for "OpenCL C 1.2")
 * @param available       {@code CL_DEVICE_AVAILABLE}
 * @param compiler        {@code CL_DEVICE_COMPILER_AVAILABLE}
 */
record ClDevice(int platformIndex, int deviceIndex, String platform, String name, Type type,
        int computeUnits, long maxWorkGroup, long localMemBytes, boolean localMemIsGlobal, int vectorWidth,
        long globalMemBytes, long maxAllocBytes, int clcVersion, boolean available, boolean compiler) {

    /** The device kinds the backend distinguishes. */
    public enum Type {
        GPU, CPU, ACCELERATOR, OTHER
    }

    /** Smallest work-group size the row kernels (softmax, reductions) need. */
    static final long MIN_WORK_GROUP = 64;
    /** Local memory the tiled GEMM and the row kernels need at least. */
    static final long MIN_LOCAL_MEM = 16 * 1024;

    /** Why the kernels cannot run on this device, or null when they can. */
    String unsuitability() {
        if (!available) {
            return "device reports itself unavailable (CL_DEVICE_AVAILABLE = false)";
        }
        if (!compiler) {
            return "device has no OpenCL C compiler (CL_DEVICE_COMPILER_AVAILABLE = false); the kernels are built "
                    + "from source";
        }
        if (clcVersion < 12) {
            return "device supports OpenCL C " + clcVersion / 10 + "." + clcVersion % 10
                    + ", the kernels need OpenCL C 1.2: update the driver";
        }
        if (maxWorkGroup < MIN_WORK_GROUP) {
            return "max work-group size " + maxWorkGroup + " < " + MIN_WORK_GROUP + " needed by the row kernels";
        }
        if (localMemBytes < MIN_LOCAL_MEM) {
            return "local memory " + localMemBytes + " bytes < " + MIN_LOCAL_MEM + " needed by the tiled GEMM";
        }
        return null;
    }

    /** One line: platform, device, type, compute units, memory, vector width. */
    String describe() {
        return String.format(Locale.ROOT, "%s / %s (%s, %d compute units, %d MiB, float vector width %d, "
                + "OpenCL C %d.%d)", platform, name, type, computeUnits, globalMemBytes >> 20, vectorWidth,
                clcVersion / 10, clcVersion % 10);
    }
}

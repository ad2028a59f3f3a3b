package dev.myelin.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** Finds devices through JOCL (which loads its native library from its jar and then the ICD loader). */
final class JoclDiscovery implements DeviceDiscovery {

    private static final Pattern CLC_VERSION = Pattern.compile("OpenCL C (\\d+)\\.(\\d+)");

    @Override
    public Result discover() {
        cl_platform_id[] platforms = platforms();
        List<ClDevice> devices = new ArrayList<>();
        for (int p = 0; p < platforms.length; p++) {
            String platform = string(platforms[p], CL_PLATFORM_NAME) + " (" + shortVersion(
                    string(platforms[p], CL_PLATFORM_VERSION)) + ")";
            cl_device_id[] ids = devices(platforms[p]);
            for (int d = 0; d < ids.length; d++) {
                devices.add(describe(p, d, platform, ids[d]));
            }
        }
        return new Result(platforms.length, devices);
    }

    /** Every platform; none when the ICD loader finds no driver (it answers CL_PLATFORM_NOT_FOUND_KHR). */
    static cl_platform_id[] platforms() {
        int[] count = new int[1];
        int err = clGetPlatformIDs(0, null, count);
        if (err == CL_PLATFORM_NOT_FOUND_KHR || count[0] == 0) {
            return new cl_platform_id[0];
        }
        Cl.check(err, "clGetPlatformIDs");
        cl_platform_id[] ids = new cl_platform_id[count[0]];
        Cl.check(clGetPlatformIDs(count[0], ids, null), "clGetPlatformIDs");
        return ids;
    }

    static cl_device_id[] devices(cl_platform_id platform) {
        int[] count = new int[1];
        int err = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
        if (err == CL_DEVICE_NOT_FOUND || count[0] == 0) {
            return new cl_device_id[0];
        }
        Cl.check(err, "clGetDeviceIDs");
        cl_device_id[] ids = new cl_device_id[count[0]];
        Cl.check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, count[0], ids, null), "clGetDeviceIDs");
        return ids;
    }

    /** The handle of a device {@link #discover()} listed. */
    static cl_device_id device(ClDevice d) {
        return devices(platforms()[d.platformIndex()])[d.deviceIndex()];
    }

    private static ClDevice describe(int p, int d, String platform, cl_device_id id) {
        long typeBits = longInfo(id, CL_DEVICE_TYPE);
        ClDevice.Type type = (typeBits & CL_DEVICE_TYPE_GPU) != 0 ? ClDevice.Type.GPU
                : (typeBits & CL_DEVICE_TYPE_CPU) != 0 ? ClDevice.Type.CPU
                : (typeBits & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? ClDevice.Type.ACCELERATOR : ClDevice.Type.OTHER;
        Matcher m = CLC_VERSION.matcher(string(id, CL_DEVICE_OPENCL_C_VERSION));
        int clc = m.find() ? Integer.parseInt(m.group(1)) * 10 + Integer.parseInt(m.group(2)) : 10;
        return new ClDevice(p, d, platform, string(id, CL_DEVICE_NAME).trim(), type,
                intInfo(id, CL_DEVICE_MAX_COMPUTE_UNITS), sizeInfo(id, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                longInfo(id, CL_DEVICE_LOCAL_MEM_SIZE), intInfo(id, CL_DEVICE_LOCAL_MEM_TYPE) == CL_GLOBAL,
                Math.max(1, intInfo(id, CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT)), longInfo(id, CL_DEVICE_GLOBAL_MEM_SIZE),
                longInfo(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE), clc, intInfo(id, CL_DEVICE_AVAILABLE) != 0,
                intInfo(id, CL_DEVICE_COMPILER_AVAILABLE) != 0);
    }

    static String string(cl_platform_id id, int param) {
        long[] size = new long[1];
        Cl.check(clGetPlatformInfo(id, param, 0, null, size), "clGetPlatformInfo");
        byte[] buf = new byte[(int) size[0]];
        Cl.check(clGetPlatformInfo(id, param, buf.length, Pointer.to(buf), null), "clGetPlatformInfo");
        return cString(buf);
    }

    static String string(cl_device_id id, int param) {
        long[] size = new long[1];
        Cl.check(clGetDeviceInfo(id, param, 0, null, size), "clGetDeviceInfo");
        byte[] buf = new byte[(int) size[0]];
        Cl.check(clGetDeviceInfo(id, param, buf.length, Pointer.to(buf), null), "clGetDeviceInfo");
        return cString(buf);
    }

    static int intInfo(cl_device_id id, int param) {
        int[] v = new int[1];
        Cl.check(clGetDeviceInfo(id, param, Sizeof.cl_uint, Pointer.to(v), null), "clGetDeviceInfo");
        return v[0];
    }

    static long longInfo(cl_device_id id, int param) {
        long[] v = new long[1];
        Cl.check(clGetDeviceInfo(id, param, Sizeof.cl_ulong, Pointer.to(v), null), "clGetDeviceInfo");
        return v[0];
    }

    static long sizeInfo(cl_device_id id, int param) {
        long[] v = new long[1];
        Cl.check(clGetDeviceInfo(id, param, Sizeof.size_t, Pointer.to(v), null), "clGetDeviceInfo");
        return v[0];
    }

    /** "OpenCL 3.0 PoCL 3.1+debian  Linux, None+Asserts, ..." is cut to "OpenCL 3.0 PoCL 3.1+debian". */
    static String shortVersion(String version) {
        String v = version.trim();
        int cut = v.indexOf("  ");
        cut = cut < 0 ? v.indexOf(',') : cut;
        return cut < 0 ? v : v.substring(0, cut).trim();
    }

    private static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}

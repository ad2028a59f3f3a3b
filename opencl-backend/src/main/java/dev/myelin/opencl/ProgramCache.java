package dev.myelin.opencl;

import static org.jocl.CL.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * Builds the {@code .cl} resources of this package once per context, lazily, and keeps the programs
 * and their kernels for the backend's lifetime. A program is keyed by its resource and build options
 * (the GEMM sizes are options). PoCL additionally keeps compiled binaries in {@code ~/.cache/pocl},
 * so the seconds its compiler takes are paid once per machine, not once per run.
 */
final class ProgramCache implements AutoCloseable {

    private final cl_context context;
    private final cl_device_id device;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();

    ProgramCache(cl_context context, cl_device_id device) {
        this.context = context;
        this.device = device;
    }

    /** The kernel {@code name} of resource {@code resource} built with {@code options}. */
    cl_kernel kernel(String resource, String options, String name) {
        String key = resource + '|' + options + '|' + name;
        cl_kernel k = kernels.get(key);
        if (k == null) {
            int[] err = new int[1];
            k = clCreateKernel(program(resource, options), name, err);
            Cl.check(err[0], "clCreateKernel(" + name + ")");
            kernels.put(key, k);
        }
        return k;
    }

    /** Number of programs built so far. */
    int programCount() {
        return programs.size();
    }

    private cl_program program(String resource, String options) {
        String key = resource + '|' + options;
        cl_program p = programs.get(key);
        if (p == null) {
            p = build(resource, options);
            programs.put(key, p);
        }
        return p;
    }

    private cl_program build(String resource, String options) {
        String source = source(resource);
        int[] err = new int[1];
        cl_program p = clCreateProgramWithSource(context, 1, new String[] {source}, new long[] {source.length()}, err);
        Cl.check(err[0], "clCreateProgramWithSource(" + resource + ")");
        String opts = "-cl-std=CL1.2 " + options;
        int status = clBuildProgram(p, 1, new cl_device_id[] {device}, opts, null, null);
        if (status != CL_SUCCESS) {
            String log = buildLog(p);
            clReleaseProgram(p);
            throw new OpenClException("building " + resource + " with options '" + opts + "' failed: "
                    + stringFor_errorCode(status) + "\n" + log);
        }
        return p;
    }

    private String buildLog(cl_program p) {
        long[] size = new long[1];
        if (clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, 0, null, size) != CL_SUCCESS) {
            return "(no build log)";
        }
        byte[] buf = new byte[(int) size[0]];
        clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
        return new String(buf, StandardCharsets.UTF_8).trim();
    }

    private static String source(String resource) {
        try (InputStream in = ProgramCache.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new OpenClException("kernel source " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OpenClException("reading kernel source " + resource + " failed: " + e);
        }
    }

    @Override
    public void close() {
        List<cl_kernel> ks = new ArrayList<>(kernels.values());
        kernels.clear();
        ks.forEach(org.jocl.CL::clReleaseKernel);
        List<cl_program> ps = new ArrayList<>(programs.values());
        programs.clear();
        ps.forEach(org.jocl.CL::clReleaseProgram);
    }
}

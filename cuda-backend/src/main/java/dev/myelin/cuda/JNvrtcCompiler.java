package dev.myelin.cuda;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import jcuda.nvrtc.nvrtcResult;

/** NVRTC through JNvrtc 12.6, which links {@code libnvrtc.so.12} and so loads only against CUDA 12's NVRTC. */
final class JNvrtcCompiler implements RuntimeCompiler {

    private final String version;
    private final int[] archs;

    JNvrtcCompiler() {
        int[] major = new int[1];
        int[] minor = new int[1];
        check(JNvrtc.nvrtcVersion(major, minor), "nvrtcVersion");
        version = major[0] + "." + minor[0];
        int[] count = new int[1];
        check(JNvrtc.nvrtcGetNumSupportedArchs(count), "nvrtcGetNumSupportedArchs");
        archs = new int[count[0]];
        check(JNvrtc.nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs");
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public int[] supportedArchs() {
        return archs.clone();
    }

    @Override
    public byte[] compile(String source, String name, List<String> options, boolean cubin) {
        nvrtcProgram program = new nvrtcProgram();
        check(JNvrtc.nvrtcCreateProgram(program, source, name, 0, null, null), "nvrtcCreateProgram");
        try {
            int result = JNvrtc.nvrtcCompileProgram(program, options.size(), options.toArray(String[]::new));
            if (result != nvrtcResult.NVRTC_SUCCESS) {
                String[] log = new String[1];
                JNvrtc.nvrtcGetProgramLog(program, log);
                throw new KernelCompileException("NVRTC " + version + " could not compile " + name + " ("
                        + nvrtcResult.stringFor(result) + ", options " + options + "):\n" + log[0]);
            }
            if (cubin) {
                long[] size = new long[1];
                check(JNvrtc.nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize");
                byte[] image = new byte[Math.toIntExact(size[0])];
                check(JNvrtc.nvrtcGetCUBIN(program, image), "nvrtcGetCUBIN");
                return image;
            }
            String[] ptx = new String[1];
            check(JNvrtc.nvrtcGetPTX(program, ptx), "nvrtcGetPTX");
            byte[] text = ptx[0].getBytes(StandardCharsets.US_ASCII);
            return Arrays.copyOf(text, text.length + 1);
        } finally {
            JNvrtc.nvrtcDestroyProgram(program);
        }
    }

    @Override
    public String description() {
        return "NVRTC " + version + " via JNvrtc";
    }

    private static void check(int result, String call) {
        if (result != nvrtcResult.NVRTC_SUCCESS) {
            throw new CudaException(call + " failed: " + nvrtcResult.stringFor(result));
        }
    }
}

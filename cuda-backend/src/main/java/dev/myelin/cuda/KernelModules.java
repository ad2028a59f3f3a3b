package dev.myelin.cuda;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * The backend's loaded kernels: each {@link KernelSource} is compiled by NVRTC for the device
 * (through the {@link KernelCache}) and loaded into the backend's context the first time one of
 * its kernels is launched; functions are looked up once.
 */
final class KernelModules implements AutoCloseable {

    private final RuntimeCompiler compiler;
    private final TargetArch target;
    private final KernelCache cache;
    private final Map<KernelSource, CUmodule> modules = new EnumMap<>(KernelSource.class);
    private final Map<String, CUfunction> functions = new HashMap<>();

    KernelModules(RuntimeCompiler compiler, CudaDevice device, KernelCache cache) {
        this.compiler = compiler;
        this.target = TargetArch.choose(device.major(), device.minor(), compiler.supportedArchs(), compiler.version());
        this.cache = cache;
    }

    TargetArch target() {
        return target;
    }

    CUfunction function(KernelSource source, String name) {
        String key = source.name() + "/" + name;
        CUfunction f = functions.get(key);
        if (f == null) {
            f = new CUfunction();
            CudaCalls.check(JCudaDriver.cuModuleGetFunction(f, module(source), name), "cuModuleGetFunction(" + name + ")");
            functions.put(key, f);
        }
        return f;
    }

    private CUmodule module(KernelSource source) {
        CUmodule m = modules.get(source);
        if (m == null) {
            byte[] image = cache.get(KernelCache.key(source, target, compiler.version()),
                    () -> compiler.compile(source.source(), source.fileName(), List.of(target.option()),
                            target.cubin()));
            m = new CUmodule();
            int result = JCudaDriver.cuModuleLoadData(m, image);
            if (result != 0) {
                throw new CudaException("cuModuleLoadData(" + source.fileName() + ", " + target.option() + ") failed: "
                        + CudaCalls.error(result) + (target.cubin() ? ""
                                : ": the driver may be older than NVRTC " + compiler.version()
                                        + " (its PTX needs a driver of the same CUDA release or newer)"));
            }
            modules.put(source, m);
        }
        return m;
    }

    @Override
    public void close() {
        for (CUmodule m : modules.values()) {
            JCudaDriver.cuModuleUnload(m);
        }
        modules.clear();
        functions.clear();
    }
}

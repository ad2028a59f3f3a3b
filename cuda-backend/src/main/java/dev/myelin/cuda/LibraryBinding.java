package dev.myelin.cuda;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which installed library the backend will call, and through what.
 *
 * @param library   "cuBLAS" or "NVRTC"
 * @param major     its CUDA major version
 * @param path      the library file
 * @param companion a library it needs loaded first ({@code libcublasLt} for cuBLAS)
 * @param jcuda     whether JCuda's binding is used (CUDA 12), rather than {@code java.lang.foreign}
 */
record LibraryBinding(String library, int major, Path path, Optional<Path> companion, boolean jcuda) {

    /** "cuBLAS 13 (/usr/local/cuda/lib64/libcublas.so.13) via java.lang.foreign". */
    public String describe() {
        return library + " " + major + " (" + path + ") via " + (jcuda ? "JCuda" : "java.lang.foreign");
    }
}

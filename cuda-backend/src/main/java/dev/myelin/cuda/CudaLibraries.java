package dev.myelin.cuda;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link LibraryLookup} found of the libraries the backend can use: the driver
 * ({@code libcuda.so.1}, any version), and cuBLAS ({@code libcublas.so.N} with its
 * {@code libcublasLt.so.N}) and NVRTC ({@code libnvrtc.so.N}) of each CUDA major version the
 * backend supports. It records every soname it asked for and the answer, for the probe's message.
 */
final class CudaLibraries {

    public static final String DRIVER = "libcuda.so.1";
    /** CUDA major versions the backend can bind, preferred first (JCuda's 12.6 bindings load only CUDA 12's). */
    public static final List<Integer> MAJORS = List.of(12, 13);

    private final Map<String, Optional<Path>> found = new LinkedHashMap<>();
    private final String places;

    private CudaLibraries(LibraryLookup lookup) {
        this.places = lookup.places();
        ask(lookup, DRIVER);
        for (int major : MAJORS) {
            ask(lookup, cublas(major));
            ask(lookup, cublasLt(major));
            ask(lookup, nvrtc(major));
        }
    }

    /** Asks {@code lookup} for every library the backend can use. */
    public static CudaLibraries locate(LibraryLookup lookup) {
        return new CudaLibraries(lookup);
    }

    public static String cublas(int major) {
        return "libcublas.so." + major;
    }

    public static String cublasLt(int major) {
        return "libcublasLt.so." + major;
    }

    public static String nvrtc(int major) {
        return "libnvrtc.so." + major;
    }

    /** The file found for {@code soname} (one of those this class asks for). */
    public Optional<Path> path(String soname) {
        Optional<Path> p = found.get(soname);
        if (p == null) {
            throw new IllegalArgumentException("soname: expected one of " + found.keySet() + ", got '" + soname + "'");
        }
        return p;
    }

    public Optional<Path> driver() {
        return path(DRIVER);
    }

    /** The CUDA majors whose cuBLAS is complete here (libcublas and libcublasLt), preferred first. */
    public List<Integer> cublasMajors() {
        List<Integer> majors = new ArrayList<>();
        for (int major : MAJORS) {
            if (path(cublas(major)).isPresent() && path(cublasLt(major)).isPresent()) {
                majors.add(major);
            }
        }
        return majors;
    }

    /** The CUDA majors whose NVRTC is here, preferred first. */
    public List<Integer> nvrtcMajors() {
        List<Integer> majors = new ArrayList<>();
        for (int major : MAJORS) {
            if (path(nvrtc(major)).isPresent()) {
                majors.add(major);
            }
        }
        return majors;
    }

    /** Where the lookup searched, in words. */
    public String places() {
        return places;
    }

    /** Every soname asked for and the answer, e.g. "found libnvrtc.so.13 at /usr/...; not found: libcuda.so.1, ...". */
    public String report() {
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        found.forEach((soname, path) -> path.ifPresentOrElse(p -> present.add(soname + " at " + p),
                () -> missing.add(soname)));
        String f = present.isEmpty() ? "" : "found " + String.join(", ", present);
        String m = missing.isEmpty() ? "" : "not found: " + String.join(", ", missing);
        return f.isEmpty() ? m : m.isEmpty() ? f : f + "; " + m;
    }

    private void ask(LibraryLookup lookup, String soname) {
        Optional<Path> p;
        try {
            p = lookup.find(soname);
        } catch (RuntimeException e) {
            p = Optional.empty();  // a lookup that fails has not found it; the report says so
        }
        found.put(soname, p == null ? Optional.empty() : p);
    }
}

package dev.myelin.cuda;

/** Version numbers as CUDA's libraries encode them, in the form people read. */
final class CudaVersions {

    private CudaVersions() {
    }

    /** {@code cuDriverGetVersion}'s {@code 1000 major + 10 minor}, e.g. 12040 is "12.4". */
    static String cuda(int version) {
        return (version / 1000) + "." + (version % 1000) / 10;
    }

    /** The CUDA major version of a {@code cuDriverGetVersion} value. */
    static int cudaMajor(int version) {
        return version / 1000;
    }

    /** {@code cublasGetVersion}'s {@code 10000 major + 100 minor + patch}, e.g. 120603 is "12.6.3". */
    static String cublas(int version) {
        return (version / 10000) + "." + (version % 10000) / 100 + "." + version % 100;
    }
}

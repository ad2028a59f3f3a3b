package dev.myelin.cuda;

import jcuda.driver.CUresult;

/**
 * Checks CUDA driver results. JCuda can throw on errors by itself, but that switch is global to
 * the JVM; checking each result here keeps the backend independent of whoever else sets it.
 */
final class CudaCalls {

    private CudaCalls() {
    }

    static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaException(call + " failed: " + error(result));
        }
    }

    /** e.g. "CUDA_ERROR_OUT_OF_MEMORY (2)". */
    static String error(int result) {
        return CUresult.stringFor(result) + " (" + result + ")";
    }
}

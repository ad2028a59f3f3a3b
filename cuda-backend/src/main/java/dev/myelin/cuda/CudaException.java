package dev.myelin.cuda;

import dev.myelin.spi.MyelinException;

/** A CUDA driver, cuBLAS or NVRTC call failed; the message names the call and the error. */
public class CudaException extends MyelinException {

    private static final long serialVersionUID = 1L;

    /**
     * A failure the message explains.
     *
     * @param message the failed call and the error it returned
     */
    public CudaException(String message) {
        super(message);
    }

    /**
     * A failure the message explains, caused by {@code cause}.
     *
     * @param message the failed call and the error it returned
     * @param cause the exception that made the call fail
     */
    public CudaException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The device's memory could not hold an allocation ({@code CUDA_ERROR_OUT_OF_MEMORY}). */
    static final class OutOfMemory extends CudaException {

        private static final long serialVersionUID = 1L;

        OutOfMemory(String message) {
            super(message);
        }
    }
}

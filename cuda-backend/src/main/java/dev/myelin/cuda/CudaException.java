package dev.myelin.cuda;

/** A CUDA driver, cuBLAS or NVRTC call failed; the message names the call and the error. */
class CudaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CudaException(String message) {
        super(message);
    }

    public CudaException(String message, Throwable cause) {
        super(message, cause);
    }
}

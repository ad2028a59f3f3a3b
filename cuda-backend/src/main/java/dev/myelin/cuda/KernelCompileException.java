package dev.myelin.cuda;

/** NVRTC rejected a kernel source; the message carries the compiler's log. */
class KernelCompileException extends CudaException {

    private static final long serialVersionUID = 1L;

    public KernelCompileException(String message) {
        super(message);
    }
}

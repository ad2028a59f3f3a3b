package dev.myelin.opencl;

/** An OpenCL call failed, or a program did not build (the message then carries the compiler's log). */
class OpenClException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OpenClException(String message) {
        super(message);
    }
}

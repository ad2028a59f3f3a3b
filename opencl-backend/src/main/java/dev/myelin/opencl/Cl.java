package dev.myelin.opencl;

import org.jocl.CL;

/** Checks OpenCL status codes: a failure is an {@link OpenClException} naming the call and the code. */
final class Cl {

    private Cl() {
    }

    static void check(int status, String call) {
        if (status != CL.CL_SUCCESS) {
            throw new OpenClException(call + " failed: " + CL.stringFor_errorCode(status) + " (" + status + ")");
        }
    }
}

package dev.myelin.cuda;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;

/**
 * The raw values behind JCuda's handle objects, for the libraries reached through
 * {@code java.lang.foreign}. JCuda keeps a handle's native value in the private field
 * {@code NativePointerObject.nativePointer} (read by the protected {@code getNativePointer()}); a
 * {@link Pointer} adds its {@code byteOffset}, and JCuda's native code passes
 * {@code nativePointer + byteOffset} to CUDA. JCuda is on the class path (the unnamed module), so a
 * private lookup into it is allowed.
 */
final class NativeHandles {

    private static final MethodHandle NATIVE_POINTER;
    private static final MethodHandle BYTE_OFFSET;

    static {
        try {
            MethodHandles.Lookup npo = MethodHandles.privateLookupIn(NativePointerObject.class, MethodHandles.lookup());
            NATIVE_POINTER = npo.findVirtual(NativePointerObject.class, "getNativePointer",
                    MethodType.methodType(long.class));
            MethodHandles.Lookup ptr = MethodHandles.privateLookupIn(Pointer.class, MethodHandles.lookup());
            BYTE_OFFSET = ptr.findVirtual(Pointer.class, "getByteOffset", MethodType.methodType(long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("JCuda's NativePointerObject/Pointer accessors changed: " + e);
        }
    }

    private NativeHandles() {
    }

    /** The device address a {@link CUdeviceptr} stands for (its value plus its byte offset). */
    static long address(CUdeviceptr pointer) {
        try {
            return (long) NATIVE_POINTER.invoke((NativePointerObject) pointer)
                    + (long) BYTE_OFFSET.invoke((Pointer) pointer);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read the address of " + pointer, t);
        }
    }

    /** The {@code CUstream} handle (the same value as a runtime {@code cudaStream_t}). */
    static long handle(CUstream stream) {
        try {
            return (long) NATIVE_POINTER.invoke((NativePointerObject) stream);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read the handle of " + stream, t);
        }
    }
}

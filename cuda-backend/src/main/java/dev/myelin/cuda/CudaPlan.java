package dev.myelin.cuda;

import dev.myelin.spi.Availability;

/**
 * The probe's verdict and, when the backend can run, what it will run on: the device, the
 * driver's CUDA version and the cuBLAS and NVRTC bindings to open.
 *
 * @param availability  what {@code probe()} reports
 * @param device        the chosen device (null when unavailable)
 * @param driverVersion {@code cuDriverGetVersion} (0 when unknown)
 * @param blas          the cuBLAS to open (null when unavailable)
 * @param compiler      the NVRTC to open (null when unavailable)
 */
record CudaPlan(Availability availability, CudaDevice device, int driverVersion, LibraryBinding blas,
        LibraryBinding compiler) {
}

package dev.myelin.cuda;

import java.util.List;

/**
 * Asks the CUDA driver for its version and its devices. The probe calls it only once
 * {@code libcuda.so.1} was found; tests stand in simulated drivers.
 */
@FunctionalInterface
interface DriverQuery {

    /** Never throws: a failure is a {@link Survey} with a reason. */
    Survey survey();

    /**
     * The driver's answer.
     *
     * @param failure       why the driver could not be asked ("" when it answered)
     * @param driverVersion {@code cuDriverGetVersion}, e.g. 13000 for CUDA 13.0
     * @param devices       the devices it sees
     */
    record Survey(String failure, int driverVersion, List<CudaDevice> devices) {

        public static Survey failed(String reason) {
            return new Survey(reason, 0, List.of());
        }

        public static Survey of(int driverVersion, List<CudaDevice> devices) {
            return new Survey("", driverVersion, List.copyOf(devices));
        }

        public boolean ok() {
            return failure.isEmpty();
        }
    }
}

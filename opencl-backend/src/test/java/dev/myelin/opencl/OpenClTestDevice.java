package dev.myelin.opencl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.myelin.spi.Availability;

/** Opens the OpenCL backend for a test, or skips the test with the probe's reason when it cannot run here. */
final class OpenClTestDevice {

    private OpenClTestDevice() {
    }

    static OpenClProbe.Selection require() {
        OpenClProbe.Selection s = OpenClProbe.probe(new JoclDiscovery(), System.getProperty(OpenClProbe.DEVICE_PROPERTY));
        Availability a = s.availability();
        assumeTrue(a.available(), () -> "OpenCL backend unavailable here: " + a.detail());
        return s;
    }

    static OpenClBackend open(Sgemm.Kind gemm) {
        OpenClProbe.Selection s = require();
        return new OpenClBackend(s.device(), s.availability(), gemm);
    }
}

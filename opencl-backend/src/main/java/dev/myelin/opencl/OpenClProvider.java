package dev.myelin.opencl;

import dev.myelin.BackendUnavailableException;
import dev.myelin.spi.Availability;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BackendProvider;

/**
 * The {@code opencl} backend: any OpenCL 1.2 device through JOCL. Registered in
 * {@code META-INF/services/dev.myelin.spi.BackendProvider}.
 */
public final class OpenClProvider implements BackendProvider {

    private final DeviceDiscovery discovery;

    /** The provider {@code ServiceLoader} creates: this machine's OpenCL platforms. */
    public OpenClProvider() {
        this(new JoclDiscovery());
    }

    /** For tests: a provider that finds devices through {@code discovery}. */
    OpenClProvider(DeviceDiscovery discovery) {
        this.discovery = discovery;
    }

    @Override
    public String name() {
        return OpenClProbe.NAME;
    }

    @Override
    public Availability probe() {
        return selection().availability();
    }

    @Override
    public Backend create() {
        OpenClProbe.Selection s = selection();
        if (s.device() == null) {
            throw new BackendUnavailableException("backend 'opencl' is unavailable: " + s.availability().detail());
        }
        return new OpenClBackend(s.device(), s.availability());
    }

    private OpenClProbe.Selection selection() {
        return OpenClProbe.probe(discovery, System.getProperty(OpenClProbe.DEVICE_PROPERTY));
    }
}

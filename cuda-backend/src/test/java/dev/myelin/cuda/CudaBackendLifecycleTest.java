package dev.myelin.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.spi.Scope;
import dev.myelin.spi.Tensor;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Device memory is returned: by close, by scopes, and by the backend's close for what is still open. */
class CudaBackendLifecycleTest {

    private static HostEmulatedRuntime runtime() {
        Optional<HostEmulatedRuntime> r = HostEmulatedRuntime.sequential();
        Assumptions.assumeTrue(r.isPresent(), HostEmulatedRuntime.unavailableReason());
        return r.get();
    }

    @Test
    void everyAllocationIsFreedOnceWhateverClosesIt() {
        HostEmulatedRuntime device = runtime();
        CudaBackend backend = new CudaBackend(device);
        Tensor closedByHand = backend.tensor(2, 3);
        Tensor leftOpen = backend.tensor(4, 4);
        try (Scope scope = backend.scope()) {
            backend.tensor(1, 7);
            backend.tensor(3, 3);
            assertEquals(4, device.allocations());
        }
        assertEquals(2, device.allocations(), "the scope freed its two tensors");
        closedByHand.close();
        closedByHand.close();
        assertEquals(1, device.allocations());
        backend.close();
        assertEquals(0, device.allocations(), "closing the backend freed the tensor left open");
        // Closing it afterwards must not free it again (the emulated device throws on a double free).
        leftOpen.close();
        assertTrue(leftOpen.isClosed());
        assertEquals(0, device.allocations());
    }
}

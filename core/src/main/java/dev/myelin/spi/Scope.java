package dev.myelin.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * Frees, on close, every tensor its backend allocated on this thread while the scope was the
 * innermost open one. Use it so device memory cannot leak:
 *
 * <pre>{@code
 * try (Scope scope = backend.scope()) {
 *     Tensor t = backend.tensor(128, 256);   // closed with the scope
 *     ...
 * }
 * }</pre>
 *
 * A tensor that must outlive the scope is handed out with {@link #keep(Tensor)}.
 */
public final class Scope implements AutoCloseable {

    private final List<Tensor> owned = new ArrayList<>();
    private final Runnable onClose;
    private boolean closed;

    /**
     * For backends: {@code onClose} unregisters the scope from its thread.
     *
     * @param onClose run once when the scope closes
     */
    Scope(Runnable onClose) {
        this.onClose = onClose;
    }

    /**
     * For backends: records a tensor allocated inside this scope.
     *
     * @param tensor a tensor this scope's backend just allocated
     */
    void track(Tensor tensor) {
        if (closed) {
            throw new IllegalStateException("scope is closed");
        }
        owned.add(tensor);
    }

    /**
     * Removes {@code tensor} from this scope so that it survives the scope's close.
     *
     * @param tensor a tensor allocated inside this scope
     * @return {@code tensor}
     */
    public Tensor keep(Tensor tensor) {
        owned.remove(tensor);
        return tensor;
    }

    /**
     * Number of tensors this scope will close.
     *
     * @return the number of tensors this scope owns
     */
    public int size() {
        return owned.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
        onClose.run();
    }
}

package dev.myelin.contract;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.myelin.spi.Backend;
import dev.myelin.spi.Scope;
import dev.myelin.spi.Shape;
import dev.myelin.spi.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What the conformance suites share: one backend opened for the whole class and closed after it, every
 * check in a scope (its tensors are freed even when it fails), uploads and NaN-poisoned outputs. A backend
 * that cannot run here should skip from {@code createBackend()} with {@code Assumptions.assumeTrue(false, reason)}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendFixture {

    /** A new instance of the backend under test; the suite closes it. */
    protected abstract Backend createBackend();

    /** The backend under test, open for the whole class. */
    protected Backend backend;

    private Scope scope;

    @BeforeAll
    final void openBackend() {
        backend = createBackend();
        assertNotNull(backend, "createBackend() returned null");
    }

    @AfterAll
    final void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    @BeforeEach
    final void openScope() {
        scope = backend.scope();
    }

    @AfterEach
    final void closeScope() {
        scope.close();
    }

    /** A tensor of shape {@code s} holding {@code values}. */
    Tensor upload(Shape s, float[] values) {
        return backend.tensor(s.rows(), s.cols(), values);
    }

    /** An output tensor holding NaN everywhere, so an element the kernel does not write fails the check. */
    Tensor poisoned(Shape s) {
        return upload(s, TestData.nan(s.size()));
    }
}

package dev.myelin.examples;

import dev.myelin.Backends;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Tensor;
import java.util.Arrays;

/** README's "Matrix multiply on the chosen backend", as a program. */
public final class GemmExample {

    private GemmExample() {
    }

    /**
     * Multiplies a 2x3 by a 3x2 matrix on the default backend and prints the product.
     *
     * @param args not used
     */
    public static void main(String[] args) {
        // README gemm begin
        Backend backend = Backends.get();   // the best available backend, or the one MYELIN_BACKEND names
        try (Tensor a = backend.tensor(2, 3, new float[] {1, 2, 3, 4, 5, 6});
             Tensor b = backend.tensor(3, 2, new float[] {7, 8, 9, 10, 11, 12});
             Tensor c = backend.tensor(2, 2)) {
            backend.gemm(false, false, 1f, a, b, 0f, c);   // c = 1·a·b + 0·c
            float[] product = c.toArray();                 // waits for the device, then copies to the host
            System.out.println(backend.name() + ": " + Arrays.toString(product));
            // cpu: [58.0, 64.0, 139.0, 154.0]
        }
        // README gemm end
    }
}

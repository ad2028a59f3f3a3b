package dev.myelin.opencl;

import dev.myelin.Backends;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * A small SGEMM timing harness, shaped like the CLBlast peer (shared/peers/clblast_sgemm.c) so the two
 * can run side by side: data stays on the device, each rep is {@code gemm} + {@code synchronize()},
 * median and best of {@code reps} after a warm-up of at least two seconds per shape. Not a test; run it under the exclusive bench lock:
 *
 * <pre>
 * java -cp ... dev.myelin.opencl.SgemmBench [backend=opencl] [reps=15] [shape ...]
 * </pre>
 *
 * A shape is {@code MxKxN} (op(A) is M x K, op(B) is K x N) with an optional {@code :TN}, {@code :NT}
 * or {@code :TT} for the stored transposes.
 */
public final class SgemmBench {

    private static final String[] DEFAULT_SHAPES = {"256x256x256", "512x512x512", "1024x1024x1024",
        "2048x2048x2048", "128x784x256", "128x256x128", "784x128x256:TN", "128x256x784:NT", "256x128x128:TN",
        "128x128x256:NT"};

    private SgemmBench() {
    }

    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "opencl";
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        String[] shapes = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length) : DEFAULT_SHAPES;
        try (Backend b = Backends.open(name)) {
            System.out.println("backend: " + b);
            System.out.printf(Locale.ROOT, "%-22s %12s %12s %10s %10s %12s%n", "shape(m x k . k x n)", "median_ms",
                    "min_ms", "GFLOP/s", "best_GF/s", "first_call_s");
            for (String s : shapes) {
                run(b, s, reps);
            }
        }
    }

    private static void run(Backend b, String spec, int reps) {
        String[] parts = spec.split(":");
        String[] d = parts[0].split("x");
        int m = Integer.parseInt(d[0]);
        int k = Integer.parseInt(d[1]);
        int n = Integer.parseInt(d[2]);
        boolean ta = parts.length > 1 && parts[1].charAt(0) == 'T';
        boolean tb = parts.length > 1 && parts[1].charAt(1) == 'T';
        try (var scope = b.scope()) {
            Tensor a = ta ? b.tensor(k, m) : b.tensor(m, k);
            Tensor bt = tb ? b.tensor(n, k) : b.tensor(k, n);
            Tensor c = b.tensor(m, n);
            b.randomFill(a, Distribution.UNIFORM, -0.5f, 0.5f, 1);
            b.randomFill(bt, Distribution.UNIFORM, -0.5f, 0.5f, 2);
            b.fill(c, 0f);
            b.synchronize();
            long t0 = System.nanoTime();
            b.gemm(ta, tb, 1f, a, bt, 0f, c);
            b.synchronize();
            double first = (System.nanoTime() - t0) * 1e-9;
            // Warm up for at least 2 calls and 2 seconds, so a JIT-compiled backend is timed compiled.
            long warmStart = System.nanoTime();
            for (int w = 0; w < 2 || System.nanoTime() - warmStart < 2_000_000_000L; w++) {
                b.gemm(ta, tb, 1f, a, bt, 0f, c);
                b.synchronize();
            }
            double[] ts = new double[reps];
            for (int r = 0; r < reps; r++) {
                long t = System.nanoTime();
                b.gemm(ta, tb, 1f, a, bt, 0f, c);
                b.synchronize();
                ts[r] = (System.nanoTime() - t) * 1e-9;
            }
            Arrays.sort(ts);
            double med = reps % 2 == 1 ? ts[reps / 2] : 0.5 * (ts[reps / 2 - 1] + ts[reps / 2]);
            double flops = 2.0 * m * n * k;
            System.out.printf(Locale.ROOT, "%-22s %12.4f %12.4f %10.2f %10.2f %12.3f%n",
                    m + "x" + k + "." + k + "x" + n + (parts.length > 1 ? ":" + parts[1] : ""), med * 1e3,
                    ts[0] * 1e3, flops / med * 1e-9, flops / ts[0] * 1e-9, first);
        }
    }
}

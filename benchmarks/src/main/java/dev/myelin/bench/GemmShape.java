package dev.myelin.bench;

import java.util.Locale;

/**
 * One SGEMM problem {@code C[m x n] = op(A)[m x k] · op(B)[k x n]}, written as a benchmark
 * parameter {@code MxKxN} with an optional {@code :TN}, {@code :NT} or {@code :TT} suffix naming
 * which operand is stored transposed (A is then stored {@code [k x m]}, B {@code [n x k]}).
 */
public record GemmShape(int m, int k, int n, boolean transA, boolean transB) {

    public GemmShape {
        if (m < 1 || k < 1 || n < 1) {
            throw new IllegalArgumentException("gemm shape: m, k, n must be >= 1, got m=" + m + ", k=" + k + ", n=" + n);
        }
    }

    /** Parses {@code "128x784x256"} or {@code "784x128x256:TN"}. */
    public static GemmShape parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        String flags = "NN";
        int colon = s.indexOf(':');
        if (colon >= 0) {
            flags = s.substring(colon + 1);
            s = s.substring(0, colon);
        }
        String[] p = s.split("X");
        if (p.length != 3 || !flags.matches("[NT][NT]")) {
            throw new IllegalArgumentException("gemm shape: expected MxKxN with an optional :NN, :TN, :NT or :TT, got '"
                    + text + "'");
        }
        try {
            return new GemmShape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                    flags.charAt(0) == 'T', flags.charAt(1) == 'T');
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gemm shape: expected integers in MxKxN, got '" + text + "'", e);
        }
    }

    /** Floating-point operations of one multiply: {@code 2 m n k}. */
    public double flops() {
        return 2.0 * m * n * k;
    }

    public int aRows() {
        return transA ? k : m;
    }

    public int aCols() {
        return transA ? m : k;
    }

    public int bRows() {
        return transB ? n : k;
    }

    public int bCols() {
        return transB ? k : n;
    }

    /** As people write it: {@code 128x784·784x256}, a stored-transposed operand marked with ᵀ. */
    public String label() {
        String a = transA ? aRows() + "x" + aCols() + "ᵀ" : m + "x" + k;
        String b = transB ? bRows() + "x" + bCols() + "ᵀ" : k + "x" + n;
        return a + "·" + b;
    }
}

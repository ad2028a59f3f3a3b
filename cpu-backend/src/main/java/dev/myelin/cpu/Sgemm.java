package dev.myelin.cpu;

/**
 * Single-precision GEMM, {@code C = alpha op(A) op(B) + beta C} on row-major arrays, blocked for the
 * caches in the manner of GotoBLAS/BLIS:
 *
 * <ul>
 * <li>{@code NC x KC} panels of alpha op(B) are packed into slivers of {@code NR} columns (a sliver,
 * {@code KC x NR} floats = 24 KiB with AVX2, 48 KiB with AVX-512, is read from L1/L2 while the
 * micro-kernel sweeps the A block; a KC of 256 or 192 for AVX-512 measured the same within the noise);</li>
 * <li>{@code MC x KC} blocks of op(A) are packed into slivers of {@code MR} rows (192 KiB: L2), MC rounded
 * down to whole slivers;</li>
 * <li>the {@link MicroKernel} multiplies one A sliver by one B sliver into an {@code MR x NR} tile of C.</li>
 * </ul>
 *
 * The packed path uses the widest tile that fits the vector registers (8 rows with AVX-512, 6 with
 * AVX2, see {@link VectorKernels#microKernelFor}); the paths that read A in place use the kernel's
 * {@link MicroKernel#inPlaceKernel()} (8 rows with AVX-512, 4 otherwise), with its own sliver height {@code mrIn}.
 * Transposes are handled while packing ({@link PanelPacker}), so no transposed copy of a whole matrix is ever made; edges
 * are zero-padded in the packed buffers and written back through a scratch tile. With two or more
 * threads C is cut along its longer side into up to {@link #CHUNKS_PER_THREAD} pieces per thread,
 * which the threads claim one at a time; each runs the blocked loops on its piece with its own packing
 * buffers (re-packing the shared operand costs O(mk) or O(kn) against O(mnk)). Claiming, not a fixed
 * half each, because the two cores of a shared machine often run at different speeds: in two
 * independent one-thread GEMMs at 1024^3, in three of six rounds one thread made 38-40 GFLOP/s while
 * the other made 55-56, and a fixed split runs at twice the slower one.
 */
final class Sgemm {

    /**
     * Depth of a block. 384 rather than 256: fewer read-modify-write passes over C (6 instead of 8 at
     * k = 2048), and the B sliver (24 KiB) still fits L1. In one JVM alternating with 256 (median
     * of 20-24 slice ratios): 2048^3 +10 % (two runs) and +7 % on two threads, 1024^3 +2 % on one
     * thread and +5 % on two, the training shapes within -2 to +6 %.
     */
    static final int KC = 384;
    static final int MC = 128;
    static final int NC = 1024;

    /**
     * A kernel that can read A in place skips packing it when A is stored transposed and C's panel has
     * at most this many columns: each packed element feeds only {@code nc} multiply-adds, so for narrow
     * C packing cost about as much as it saved. Measured one thread, interleaved A/B against packing:
     * 784x128.128x64 1.44-1.55x, 784x128.128x512 0.82x (the strided reads of the transposed A are not
     * range-check-hoisted).
     */
    static final int IN_PLACE_A_MAX_COLUMNS = 128;

    /**
     * The same for A stored as is (row streams of stride {@code lda}). Measured against packing:
     * 128x784.784x64 1.42x in place (interleaved JVMs); in one JVM alternating over 12 rounds, 1024^3
     * (panel 1024) +6 to +11 % and 2048^3 +17 to +27 % packed, on one thread in three runs; 128x784.784x256 and
     * 128x784.784x512 within -14 to +14 %. With two threads each thread's panel is half as wide and
     * each packs all of A: at 128x784.784x512 and 128x256.256x512 (panels of 256) in place was 2-9 %
     * faster, hence the limit sits at 256 columns.
     */
    static final int IN_PLACE_ROW_MAJOR_A_MAX_COLUMNS = 256;

    /** Pieces per thread of a split call, claimed dynamically (see {@link Parallel#runClaimed}). */
    static final int CHUNKS_PER_THREAD = 4;

    /** The least multiply-adds per claimed piece: smaller pieces cost more in hand-off than they balance. */
    static final long CHUNK_GRAIN = 1L << 22;

    /** Below this many multiply-adds, splitting across threads costs more than it saves. */
    static final long PARALLEL_GRAIN = 1L << 19;

    private final MicroKernel kernel;
    /** The kernel of the in-place paths ({@link MicroKernel#inPlaceKernel()}), {@code mrIn} rows high. */
    private final MicroKernel inPlace;
    private final int mr;
    private final int mrIn;
    /** Rows of an A block: {@link #MC} rounded down to whole slivers, so that only the matrix edge is partial. */
    private final int mcBlock;
    private final int nr;
    private final Parallel parallel;
    private final float[][] packA;
    private final float[][] packB;
    private final float[][] tiles;
    private final PanelPacker packer;
    private final SplitCall call = new SplitCall();
    /** Keeps the reads of {@link #touch} from being dropped as dead code. */
    private float sink;

    Sgemm(MicroKernel kernel, Parallel parallel) {
        this.kernel = kernel;
        this.inPlace = kernel.inPlaceKernel();
        this.mr = kernel.mr();
        this.mrIn = inPlace.mr();
        this.nr = kernel.nr();
        this.mcBlock = Math.max(mr, MC / mr * mr);
        this.packer = new PanelPacker(kernel);
        if (inPlace.nr() != nr) {
            throw new IllegalArgumentException("in-place kernel has NR " + inPlace.nr() + ", expected " + nr);
        }
        this.parallel = parallel;
        int t = parallel.threads();
        this.packA = new float[t][];
        this.packB = new float[t][];
        this.tiles = new float[t][];
    }

    /**
     * {@code C[m x n] = alpha op(A) op(B) + beta C}; {@code lda}, {@code ldb} are the row lengths of
     * A and B as stored. With {@code beta == 0} C is not read.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda, float[] b,
            int ldb, float beta, float[] c) {
        long work = (long) m * n * k;
        boolean splitColumns = n >= m;
        int extent = splitColumns ? n : m;
        int align = splitColumns ? nr : mr;
        int parts = Math.min(parallel.parts(work, PARALLEL_GRAIN), Math.max(1, extent / align));
        if (parts <= 1) {
            block(0, transA, transB, 0, m, 0, n, k, alpha, a, lda, b, ldb, beta, c, n);
            return;
        }
        // The split call's arguments go to fields, so the hand-off allocates no capturing lambda;
        // like the packing buffers, this makes one Sgemm serve one call at a time.
        call.set(splitColumns, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c);
        try {
            long byWork = Math.min(CHUNKS_PER_THREAD * parts, work / CHUNK_GRAIN);
            int chunks = (int) Math.max(parts, Math.min(byWork, extent / (2 * align)));
            parallel.runClaimed(parts, chunks, extent, align, call);
        } finally {
            call.clear();
        }
    }

    /** The arguments of the call being split across threads. */
    private final class SplitCall implements Parallel.RangeTask {
        private boolean splitColumns;
        private boolean transA;
        private boolean transB;
        private int m;
        private int n;
        private int k;
        private float alpha;
        private float[] a;
        private int lda;
        private float[] b;
        private int ldb;
        private float beta;
        private float[] c;

        void set(boolean splitColumns, boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                int lda, float[] b, int ldb, float beta, float[] c) {
            this.splitColumns = splitColumns;
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.lda = lda;
            this.b = b;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
        }

        /** Drops the array references, so a finished call keeps no caller's arrays alive. */
        void clear() {
            a = null;
            b = null;
            c = null;
        }

        @Override
        public void run(int part, int from, int to) {
            if (splitColumns) {
                block(part, transA, transB, 0, m, from, to, k, alpha, a, lda, b, ldb, beta, c, n);
            } else {
                block(part, transA, transB, from, to, 0, n, k, alpha, a, lda, b, ldb, beta, c, n);
            }
        }
    }

    /** The blocked loops over rows {@code [m0, m1)} and columns {@code [n0, n1)} of C, with buffer set {@code part}. */
    private void block(int part, boolean transA, boolean transB, int m0, int m1, int n0, int n1, int k, float alpha,
            float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc) {
        if (m1 <= m0 || n1 <= n0) {
            return;
        }
        float[] ap = buffer(packA, part, MC * KC);
        float[] bp = buffer(packB, part, KC * roundUp(Math.min(NC, n1 - n0), nr));
        float[] tile = buffer(tiles, part, Math.max(mr, mrIn) * nr);
        // Equal depth blocks (784 = 262 + 262 + 260, not 384 + 384 + 16): a thin last block would pay the
        // full read-modify-write of C for a few multiply-adds.
        int kBlocks = (k + KC - 1) / KC;
        int kStep = (k + kBlocks - 1) / kBlocks;
        for (int jc = n0; jc < n1; jc += NC) {
            int nc = Math.min(NC, n1 - jc);
            boolean directA = inPlace.readsAInPlace()
                    && nc <= (transA ? IN_PLACE_A_MAX_COLUMNS : IN_PLACE_ROW_MAJOR_A_MAX_COLUMNS);
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc);
                float betaBlock = pc == 0 ? beta : 1f;
                packer.packB(transB, alpha, b, ldb, pc, kc, jc, nc, bp);
                int mcStep = directA ? MC / mrIn * mrIn : mcBlock;
                for (int ic = m0; ic < m1; ic += mcStep) {
                    int mc = Math.min(mcStep, m1 - ic);
                    if (directA) {
                        macroKernelInPlaceA(transA, mc, nc, kc, a, transA ? pc * lda + ic : ic * lda + pc, lda, ap, bp,
                                tile, c, ic * ldc + jc, ldc, betaBlock);
                    } else {
                        packer.packA(transA, a, lda, ic, mc, pc, kc, ap);
                        macroKernel(mc, nc, kc, ap, bp, tile, c, ic * ldc + jc, ldc, betaBlock);
                    }
                }
            }
        }
    }

    private void macroKernel(int mc, int nc, int kc, float[] ap, float[] bp, float[] tile, float[] c, int cOff, int ldc,
            float beta) {
        float touched = 0f;
        for (int jr = 0; jr < nc; jr += nr) {
            int nrValid = Math.min(nr, nc - jr);
            int bOff = jr * kc;
            for (int ir = 0; ir < mc; ir += mr) {
                int mrValid = Math.min(mr, mc - ir);
                int aOff = ir * kc;
                int o = cOff + ir * ldc + jr;
                if (beta != 0f && ir + 2 * mr <= mc && nrValid == nr) {
                    touched += touch(c, o + mr * ldc, ldc, mr);
                }
                if (mrValid == mr && nrValid == nr) {
                    kernel.tile(kc, ap, aOff, bp, bOff, c, o, ldc, beta);
                } else {
                    kernel.tile(kc, ap, aOff, bp, bOff, tile, 0, nr, 0f);
                    mergeEdge(tile, mrValid, nrValid, c, o, ldc, beta);
                }
            }
        }
        sink = touched;
    }

    /**
     * Reads the first and last element of each row of the tile at {@code o}, so that its cache lines
     * are on their way while the micro-kernel works on the tile before it: an accumulating kernel
     * starts every FMA chain from C, and a C row that comes from L3 stalled them all.
     */
    private float touch(float[] c, int o, int ldc, int rows) {
        float s = 0f;
        for (int r = 0; r < rows; r++) {
            s += c[o + r * ldc] + c[o + r * ldc + nr - 1];
        }
        return s;
    }

    /**
     * {@link #macroKernel} reading full MR-row slivers of op(A) in place: element {@code (r, p)} at
     * {@code a[aOff + r*lda + p]}, or at {@code a[aOff + p*lda + r]} when A is stored transposed; a last
     * partial sliver is packed (zero-padded) into {@code ap} first.
     */
    private void macroKernelInPlaceA(boolean transA, int mc, int nc, int kc, float[] a, int aOff, int lda, float[] ap,
            float[] bp, float[] tile, float[] c, int cOff, int ldc, float beta) {
        int fullRows = mc / mrIn * mrIn;
        int rowStep = transA ? 1 : lda;
        float touched = 0f;
        for (int jr = 0; jr < nc; jr += nr) {
            int nrValid = Math.min(nr, nc - jr);
            int bOff = jr * kc;
            for (int ir = 0; ir < fullRows; ir += mrIn) {
                int o = cOff + ir * ldc + jr;
                int ai = aOff + ir * rowStep;
                if (beta != 0f && ir + 2 * mrIn <= fullRows && nrValid == nr) {
                    touched += touch(c, o + mrIn * ldc, ldc, mrIn);
                }
                if (nrValid == nr) {
                    inPlaceTile(transA, kc, a, ai, lda, bp, bOff, c, o, ldc, beta);
                } else {
                    inPlaceTile(transA, kc, a, ai, lda, bp, bOff, tile, 0, nr, 0f);
                    mergeEdge(tile, mrIn, nrValid, c, o, ldc, beta);
                }
            }
        }
        if (fullRows < mc) {
            int rows = mc - fullRows;
            int src = aOff + fullRows * rowStep;
            for (int r = 0; r < mrIn; r++) {
                for (int p = 0; p < kc; p++) {
                    ap[r + p * mrIn] = r >= rows ? 0f : transA ? a[src + p * lda + r] : a[src + r * lda + p];
                }
            }
            for (int jr = 0; jr < nc; jr += nr) {
                int nrValid = Math.min(nr, nc - jr);
                inPlace.tile(kc, ap, 0, bp, jr * kc, tile, 0, nr, 0f);
                mergeEdge(tile, rows, nrValid, c, cOff + fullRows * ldc + jr, ldc, beta);
            }
        }
        sink = touched;
    }

    private void inPlaceTile(boolean transA, int kc, float[] a, int aOff, int lda, float[] bp, int bOff, float[] c,
            int cOff, int ldc, float beta) {
        if (transA) {
            inPlace.tileColumnsA(kc, a, aOff, lda, bp, bOff, c, cOff, ldc, beta);
        } else {
            inPlace.tileRowsA(kc, a, aOff, lda, bp, bOff, c, cOff, ldc, beta);
        }
    }

    private void mergeEdge(float[] tile, int rows, int cols, float[] c, int o, int ldc, float beta) {
        for (int r = 0; r < rows; r++) {
            int co = o + r * ldc;
            int to = r * nr;
            if (beta == 0f) {
                for (int j = 0; j < cols; j++) {
                    c[co + j] = tile[to + j];
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    c[co + j] = tile[to + j] + beta * c[co + j];
                }
            }
        }
    }

    private static float[] buffer(float[][] pool, int part, int size) {
        float[] buf = pool[part];
        if (buf == null || buf.length < size) {
            buf = new float[size];
            pool[part] = buf;
        }
        return buf;
    }

    private static int roundUp(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }
}

package dev.myelin.opencl;

import java.util.Locale;

/**
 * Chooses and enqueues the SGEMM kernel of {@code gemm.cl} for one device.
 *
 * <p>CPU devices get the register-blocked kernel ({@link Kind#BLOCKED}): PoCL emulates local memory in
 * global memory and runs a work-group's items one after another (vectorised by its compiler), so a
 * local-memory tile only adds copies and barriers, while a block of C held in vector registers and a
 * walk down K that the caches serve is what a CPU core is fast at. The block is MR = 6 rows by NV = 2
 * vectors of the preferred float width (6 x 16 on AVX2: 12 accumulator registers plus B's two vectors
 * and A's broadcast, 15 of the 16 YMM registers). Measured on PoCL 3.1, 2 Zen 3 cores, 1024^3: 6 x 2
 * float8 reached 87 GFLOP/s against 52 for 4 x 2 float8, 64 for 8 x 1 and 57-60 for 2-3 x 4; a float16
 * block compiled to calls that pass vectors through memory (PoCL warns: "changes the ABI").
 *
 * <p>GPUs and accelerators get the local-memory tiled kernel ({@link Kind#TILED}) with tile sizes from
 * the device's work-group and local-memory limits; shapes too small to give every compute unit two
 * big tiles (the dense layers of a training step at batch 32-256) take a smaller tile, so that more
 * work-groups run at once: the direct path for small shapes.
 *
 * <p>The system property {@value #PROPERTY} ({@code blocked} or {@code tiled}) overrides the choice.
 */
final class Sgemm {

    static final String PROPERTY = "myelin.opencl.gemm";
    /** Work-items per work-group of the blocked kernel along M: a group shares one panel of B. */
    static final int BLOCKED_GROUP = 8;
    /**
     * Bytes of A a super-block of the blocked kernel spans: half of a 512 KiB-1 MiB L2, leaving room for
     * the B panels streaming past.
     */
    static final int A_BLOCK_KIB = 256;
    /** Elements of a transposed A from which the blocked kernel reads a transposed copy instead (1 MiB). */
    static final long TRANSPOSE_A_MIN = 256 * 1024;

    enum Kind {
        BLOCKED, TILED
    }

    /** One configuration of the tiled kernel: tile TSM x TSN x TSK, each work-item WPTM x WPTN outputs. */
    record Tile(int tsm, int tsn, int tsk, int wptm, int wptn) {
        String options() {
            return "-D TSM=" + tsm + " -D TSN=" + tsn + " -D TSK=" + tsk + " -D WPTM=" + wptm + " -D WPTN=" + wptn;
        }

        long localBytes() {
            return (long) tsk * (tsm + 1 + tsn + 1) * Float.BYTES;
        }

        int groupSize() {
            return (tsm / wptm) * (tsn / wptn);
        }
    }

    private final OpenClBackend backend;
    private final ClDevice device;
    private final Kind kind;
    /** Rows of the blocked kernel's register block ({@code myelin.opencl.gemm.mr}, 1-8, for tuning). */
    private final int mr;
    /** Vectors per row of the register block ({@code myelin.opencl.gemm.nv}, 1-4, for tuning). */
    private final int nv;
    /** {@link #A_BLOCK_KIB} in bytes ({@code myelin.opencl.gemm.ablock} in KiB, for tuning). */
    private final long aBlockBytes;
    private final int vw;
    private final int nr;
    private final Tile big;
    private final Tile small;

    Sgemm(OpenClBackend backend, ClDevice device, Kind forced) {
        this.backend = backend;
        this.device = device;
        this.kind = forced != null ? forced : device.type() == ClDevice.Type.CPU ? Kind.BLOCKED : Kind.TILED;
        this.vw = device.vectorWidth() >= 8 ? 8 : device.vectorWidth() >= 4 ? 4 : 2;
        this.mr = tuning("myelin.opencl.gemm.mr", 6, 1, 8);
        this.nv = tuning("myelin.opencl.gemm.nv", 2, 1, 4);
        this.aBlockBytes = tuning("myelin.opencl.gemm.ablock", A_BLOCK_KIB, 1, 1 << 20) * 1024L;
        this.nr = nv * vw;
        this.big = fit(new Tile(64, 64, 16, 4, 4));
        this.small = fit(new Tile(32, 32, 16, 2, 2));
    }

    private static int tuning(String property, int fallback, int min, int max) {
        int v = Integer.getInteger(property, fallback);
        if (v < min || v > max) {
            throw new IllegalArgumentException(property + ": expected " + min + " to " + max + ", got " + v);
        }
        return v;
    }

    /** The kind the system property asks for, or null for the device's default. */
    static Kind forcedByProperty() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank() || v.equalsIgnoreCase("auto")) {
            return null;
        }
        try {
            return Kind.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PROPERTY + ": expected blocked, tiled or auto, got '" + v + "'");
        }
    }

    /** Shrinks a tile until its work-group and local memory fit the device. */
    private Tile fit(Tile t) {
        while (t.groupSize() > device.maxWorkGroup() || t.localBytes() > device.localMemBytes()) {
            if (t.groupSize() > device.maxWorkGroup() && t.wptm() < 8) {
                t = new Tile(t.tsm(), t.tsn(), t.tsk(), t.wptm() * 2, t.wptn() * 2);
            } else {
                t = new Tile(t.tsm() / 2, t.tsn() / 2, Math.max(4, t.tsk() / 2), Math.max(1, t.wptm() / 2),
                        Math.max(1, t.wptn() / 2));
            }
        }
        return t;
    }

    /** Row groups per super-block: as many as keep their rows of A (K floats each) within the A block. */
    private int superBlock(int k, int rowGroups) {
        long rowsBytes = (long) mr * BLOCKED_GROUP * k * Float.BYTES;
        return (int) Math.max(1, Math.min(rowGroups, aBlockBytes / rowsBytes));
    }

    Kind kind() {
        return kind;
    }

    String describe() {
        return kind == Kind.BLOCKED ? "register-blocked " + mr + "x" + nr
                : "local-memory tiled " + big.tsm() + "x" + big.tsn() + "x" + big.tsk() + " (small shapes "
                        + small.tsm() + "x" + small.tsn() + ")";
    }

    void run(boolean transA, boolean transB, float alpha, ClTensor a, ClTensor b, float beta, ClTensor c) {
        int m = c.rows();
        int n = c.cols();
        int k = transA ? a.rows() : a.cols();
        int lda = a.cols();
        if (kind == Kind.BLOCKED) {
            org.jocl.cl_mem bm = b.mem();
            if (transB) {
                // The kernel wants B's rows contiguous: transpose [n x k] into scratch [k x n] on the device.
                bm = backend.gemmScratch(0, (long) k * n);
                backend.transpose(b.mem(), bm, n, k);
            }
            org.jocl.cl_mem am = a.mem();
            boolean aT = transA;
            if (transA && (long) m * k >= TRANSPOSE_A_MIN) {
                // Read transposed, each step down K jumps a row of A (m floats): fine while A fits the
                // caches, a TLB miss per step once it does not (1024^3 TN: 21 against 50 GFLOP/s).
                am = backend.gemmScratch(1, (long) m * k);
                backend.transpose(a.mem(), am, k, m);
                aT = false;
                lda = k;
            }
            String options = "-D MR=" + mr + " -D NV=" + nv + " -D VW=" + vw + " -D RB_GROUP=" + BLOCKED_GROUP;
            int rowGroups = (m + mr * BLOCKED_GROUP - 1) / (mr * BLOCKED_GROUP);
            long groups = (long) rowGroups * ((n + nr - 1) / nr);
            backend.launch("gemm.cl", options, aT ? "gemm_rb_t" : "gemm_rb_n")
                    .i32(m).i32(n).i32(k).f32(alpha).mem(am).i32(lda).mem(bm).i32(n).f32(beta).mem(c.mem())
                    .i32(n).i32(superBlock(k, rowGroups)).run(groups * BLOCKED_GROUP, BLOCKED_GROUP);
            return;
        }
        Tile t = (long) ((m + big.tsm() - 1) / big.tsm()) * ((n + big.tsn() - 1) / big.tsn())
                < 2L * device.computeUnits() ? small : big;
        int rtsm = t.tsm() / t.wptm();
        int rtsn = t.tsn() / t.wptn();
        long gx = (long) ((n + t.tsn() - 1) / t.tsn()) * rtsn;
        long gy = (long) ((m + t.tsm() - 1) / t.tsm()) * rtsm;
        String name = "gemm_tiled_" + (transA ? "t" : "n") + (transB ? "t" : "n");
        backend.launch("gemm.cl", t.options(), name)
                .i32(m).i32(n).i32(k).f32(alpha).mem(a.mem()).i32(lda).mem(b.mem()).i32(b.cols()).f32(beta)
                .mem(c.mem()).i32(n).run(new long[] {gx, gy}, new long[] {rtsn, rtsm});
    }
}

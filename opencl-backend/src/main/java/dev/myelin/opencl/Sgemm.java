package dev.myelin.opencl;

import java.util.Locale;

/**
 * Chooses and enqueues the SGEMM kernel of {@code gemm.cl} for one device.
 *
 * <p>CPU devices get the register-blocked kernel ({@link Kind#BLOCKED}): PoCL emulates local memory in
 * global memory and runs a work-group's items one after another (vectorised by its compiler), so a
 * local-memory tile only adds copies and barriers, while a block of C held in vector registers and a
 * walk down K that the caches serve is what a CPU core is fast at. The block is MR = {@value #MR} rows
 * by NR = twice the preferred float vector width (16 on AVX2: 8 accumulators of two registers each
 * plus B's row and A's broadcast, inside the 16 YMM registers).
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
    static final int MR = Integer.getInteger("myelin.opencl.gemm.mr", 6);
    static final int NV = Integer.getInteger("myelin.opencl.gemm.nv", 2);
    /** Work-items per work-group of the blocked kernel along M: a group shares one panel of B. */
    static final int BLOCKED_GROUP = 8;
    /**
     * Bytes of A a super-block of the blocked kernel spans: half of a 512 KiB-1 MiB L2, leaving room for
     * the B panels streaming past. Overridable with {@code myelin.opencl.gemm.ablock} (KiB) for tuning.
     */
    static final long A_BLOCK_BYTES = Long.getLong("myelin.opencl.gemm.ablock", 256) * 1024;

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
    private final int vw;
    private final int nr;
    private final Tile big;
    private final Tile small;

    Sgemm(OpenClBackend backend, ClDevice device, Kind forced) {
        this.backend = backend;
        this.device = device;
        this.kind = forced != null ? forced : device.type() == ClDevice.Type.CPU ? Kind.BLOCKED : Kind.TILED;
        this.vw = device.vectorWidth() >= 8 ? 8 : device.vectorWidth() >= 4 ? 4 : 2;
        this.nr = NV * vw;
        this.big = fit(new Tile(64, 64, 16, 4, 4));
        this.small = fit(new Tile(32, 32, 16, 2, 2));
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

    /** Row groups per super-block: as many as keep their rows of A (K floats each) within {@link #A_BLOCK_BYTES}. */
    static int superBlock(int k, int rowGroups) {
        long rowsBytes = (long) MR * BLOCKED_GROUP * k * Float.BYTES;
        return (int) Math.max(1, Math.min(rowGroups, A_BLOCK_BYTES / rowsBytes));
    }

    Kind kind() {
        return kind;
    }

    String describe() {
        return kind == Kind.BLOCKED ? "register-blocked " + MR + "x" + nr
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
                bm = backend.gemmScratch((long) k * n);
                backend.transpose(b.mem(), bm, n, k);
            }
            String options = "-D MR=" + MR + " -D NV=" + NV + " -D VW=" + vw + " -D RB_GROUP=" + BLOCKED_GROUP;
            int rowGroups = (m + MR * BLOCKED_GROUP - 1) / (MR * BLOCKED_GROUP);
            long groups = (long) rowGroups * ((n + nr - 1) / nr);
            backend.launch("gemm.cl", options, transA ? "gemm_rb_t" : "gemm_rb_n")
                    .i32(m).i32(n).i32(k).f32(alpha).mem(a.mem()).i32(lda).mem(bm).i32(n).f32(beta).mem(c.mem())
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

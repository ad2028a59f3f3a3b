package dev.myelin.cuda;

import dev.myelin.spi.Activation;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.GradientClip;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.UpdateRule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The CUDA C sources of the backend's kernels: a {@code .cu} resource per group of operations,
 * prefixed with a preamble of {@code #define}s generated from the SPI enums. The kernels switch on
 * those names ({@code MYELIN_ACT_SIGMOID}, {@code MYELIN_RULE_ADAM}, ...), so the integer codes the
 * host passes and the codes the device decodes come from one place.
 */
enum KernelSource {
    /** axpby, binary, activations, random fills, dropout. */
    ELEMENTWISE("elementwise.cu"),
    /** softmax, argmax, reductions, softmax cross-entropy. */
    ROWS("rows.cu"),
    /** per-element losses, sigmoid cross-entropy. */
    LOSSES("losses.cu"),
    /** fused optimizer updates. */
    OPTIMIZERS("optimizers.cu"),
    /** moments, normalize and its backward (batch and layer normalization). */
    NORMALIZATION("normalization.cu");

    /** Threads of a row-wise block; a power of two for the shared-memory trees. */
    public static final int ROW_THREADS = 256;
    /** Row slices of a column-reduction block (32 columns wide). */
    public static final int COLUMN_SLICES = 8;

    /** Broadcast modes of the binary kernel. */
    public static final int BCAST_FULL = 0;
    public static final int BCAST_ROW = 1;
    public static final int BCAST_COLUMN = 2;
    public static final int BCAST_SCALAR = 3;

    private final String file;
    private String text;

    KernelSource(String file) {
        this.file = file;
    }

    /** The resource's file name, e.g. {@code rows.cu}. */
    public String fileName() {
        return file;
    }

    /** The kernel file as stored, without the preamble. */
    public synchronized String body() {
        if (text == null) {
            String path = "kernels/" + file;
            try (InputStream in = KernelSource.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("kernel source " + path + " is missing from the class path");
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read kernel source " + path, e);
            }
        }
        return text;
    }

    /** What NVRTC (or nvcc) compiles: the preamble followed by the body. */
    public String source() {
        return preamble() + "#line 1 \"" + file + "\"\n" + body();
    }

    /** SHA-256 of {@link #source()}, the content part of the kernel cache key. */
    public String sha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(source().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The integer code the kernels know an enum constant by. */
    public static int code(Enum<?> constant) {
        return constant.ordinal();
    }

    /** The {@code #define}s every kernel file is compiled with. */
    public static String preamble() {
        StringBuilder sb = new StringBuilder("// Generated from the dev.myelin.spi enums; do not edit.\n");
        defines(sb, "ACT", List.of(Activation.values()));
        defines(sb, "BIN", List.of(BinaryOp.values()));
        defines(sb, "RED", List.of(Reduction.values()));
        defines(sb, "LOSS", List.of(ElementLoss.values()));
        defines(sb, "RULE", List.of(UpdateRule.values()));
        defines(sb, "CLIP", List.of(GradientClip.values()));
        define(sb, "BCAST_FULL", BCAST_FULL);
        define(sb, "BCAST_ROW", BCAST_ROW);
        define(sb, "BCAST_COLUMN", BCAST_COLUMN);
        define(sb, "BCAST_SCALAR", BCAST_SCALAR);
        define(sb, "ROW_THREADS", ROW_THREADS);
        define(sb, "COLUMN_SLICES", COLUMN_SLICES);
        sb.append("#define MYELIN_SELU_SCALE ").append(Activation.SELU_SCALE).append('\n');
        sb.append("#define MYELIN_SELU_ALPHA ").append(Activation.SELU_ALPHA).append('\n');
        // A hexadecimal literal carries the float's exact bits.
        sb.append("#define MYELIN_EPS ").append(Float.toHexString(ElementLoss.EPS)).append("f\n");
        // The logarithms at the clipping bounds, EPS and 1 - EPS (rounded to float32, as the kernels
        // clip), computed here in double: in float, 1 - (1 - EPS) keeps almost no correct digits.
        double eps = ElementLoss.EPS;
        double oneMinusEps = 1f - ElementLoss.EPS;
        float32(sb, "ONE_MINUS_EPS", 1f - ElementLoss.EPS);
        float32(sb, "LN_EPS", (float) Math.log(eps));
        float32(sb, "LN_1M_EPS", (float) Math.log1p(-eps));
        float32(sb, "LN_ONE_MINUS_EPS", (float) Math.log(oneMinusEps));
        float32(sb, "LN_1M_ONE_MINUS_EPS", (float) Math.log(1 - oneMinusEps));
        return sb.toString();
    }

    /** The macro name of an enum constant, e.g. {@code MYELIN_ACT_LEAKY_RELU}. */
    public static String macro(String group, Enum<?> constant) {
        return "MYELIN_" + group + "_" + constant.name().toUpperCase(Locale.ROOT);
    }

    private static void defines(StringBuilder sb, String group, List<? extends Enum<?>> constants) {
        for (Enum<?> c : constants) {
            sb.append("#define ").append(macro(group, c)).append(' ').append(code(c)).append('\n');
        }
    }

    /** A float constant as a hexadecimal literal, which carries its exact bits. */
    private static void float32(StringBuilder sb, String name, float value) {
        sb.append("#define MYELIN_").append(name).append(" ").append(Float.toHexString(value)).append("f\n");
    }

    private static void define(StringBuilder sb, String name, int value) {
        sb.append("#define MYELIN_").append(name).append(' ').append(value).append('\n');
    }
}

package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise exp, expm1, log, log1p, tanh and sigmoid on {@link FloatVector}s, accurate to about
 * one float32 ulp (relative error below 2e-7 against float64), with no per-element calls into
 * {@link Math}.
 *
 * <p>exp: {@code x = n ln2 + r} with {@code |r| <= ln2/2} ({@code n} rounded with the 1.5*2^23
 * trick, {@code ln2} split in a high part exact in float and a low part), {@code e^r} by its
 * Taylor polynomial to degree 7 (truncation below 1e-8), and {@code 2^n} applied as two
 * exponent-field scalings so that results in the subnormal and overflow ranges come out right.
 * log: {@code x = m 2^e} with {@code m} in {@code [sqrt(1/2), sqrt(2))}, then
 * {@code ln m = 2 atanh(s)}, {@code s = (m-1)/(m+1)}, by its odd series to {@code s^11}.
 * Constants are scalars, never {@code static final} vectors (those made C2 allocate).
 */
final class VectorMath {

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;          // 355/512: n*LN2_HI is exact for |n| < 2^15
    private static final float LN2_LO = -2.12194440e-4f;       // ln 2 - LN2_HI
    private static final float ROUND_MAGIC = 12582912f;        // 1.5 * 2^23: adding it rounds to an integer
    private static final int ROUND_MAGIC_BITS = 0x4B400000;
    private static final float EXP_MIN = -104f;                // e^-104 is below the smallest subnormal
    private static final float EXP_MAX = 89f;                  // e^89 overflows float
    private static final float EXP_MIN_NORMAL = -87.3f;        // e^-87.3 is just above MIN_NORMAL
    private static final int SQRT_HALF_BITS = 0x3F3504F3;

    private VectorMath() {
    }

    /** {@code v} in every lane of a vector shaped like {@code like}. */
    private static FloatVector k(FloatVector like, float v) {
        return FloatVector.broadcast(like.species(), v);
    }

    /** {@code e^r - 1 - r} divided by {@code r^2}: 1/2 + r/6 + ... + r^5/5040 (Taylor). */
    private static FloatVector expTail(FloatVector r) {
        FloatVector q = r.fma(1f / 5040f, 1f / 720f);
        q = q.fma(r, FloatVector.broadcast(r.species(), 1f / 120f));
        q = q.fma(r, FloatVector.broadcast(r.species(), 1f / 24f));
        q = q.fma(r, FloatVector.broadcast(r.species(), 1f / 6f));
        return q.fma(r, FloatVector.broadcast(r.species(), 0.5f));
    }

    /**
     * {@code e^r - 1} for the remainder {@code r = x - n ln2}, where {@code t = x log2(e) + 1.5 * 2^23}
     * holds {@code n = round(x / ln2)}: the one range reduction of exp, expm1, sigmoid and softmax's
     * exp, which differ only in how they apply {@code 2^n}.
     */
    private static FloatVector expm1OfRemainder(FloatVector x, FloatVector t) {
        FloatVector n = t.sub(ROUND_MAGIC);
        FloatVector r = n.fma(k(x, -LN2_HI), x);
        r = n.fma(k(x, -LN2_LO), r);
        return r.mul(r).fma(expTail(r), r);
    }

    /** {@code e^r} for the remainder of {@link #expm1OfRemainder}. */
    private static FloatVector expOfRemainder(FloatVector x, FloatVector t) {
        return expm1OfRemainder(x, t).add(1f);
    }

    /** {@code 2^n} for {@code n} in [-126, 127], built in the exponent field. */
    private static FloatVector pow2(IntVector n) {
        return n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    static FloatVector exp(FloatVector x) {
        x = x.max(EXP_MIN).min(EXP_MAX);                          // NaN stays NaN
        FloatVector t = x.fma(LOG2E, ROUND_MAGIC);
        FloatVector p = expOfRemainder(x, t);
        IntVector ni = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        return p.mul(pow2(n1)).mul(pow2(n2));
    }

    /**
     * {@code e^x} for {@code x <= 0} (softmax's shifted inputs), with results below MIN_NORMAL flushed to
     * zero: the input is clamped where {@code e^x} is still a normal float, so {@code 2^n} is built in one
     * step, and the lanes under the clamp are set to 0 afterwards. 18 vector operations against 23 for
     * {@link #exp}, which keeps subnormal results.
     */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector xc = x.max(EXP_MIN_NORMAL);                      // NaN stays NaN
        FloatVector t = xc.fma(LOG2E, ROUND_MAGIC);
        return expOfRemainder(xc, t).mul(pow2Biased(t)).blend(0f, x.lt(EXP_MIN_NORMAL));
    }

    /** {@code 2^n} for the {@code n} held in {@code t = n + 1.5 * 2^23}, {@code n} in [-126, 128] (128: infinity). */
    private static FloatVector pow2Biased(FloatVector t) {
        return t.reinterpretAsInts().add(127 - ROUND_MAGIC_BITS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /** {@code e^x - 1} without cancellation near 0; {@code x} must be <= 0 and >= -20 after the caller's clamp. */
    private static FloatVector expm1Negative(FloatVector x) {
        FloatVector t = x.fma(LOG2E, ROUND_MAGIC);
        FloatVector s = pow2Biased(t);
        return expm1OfRemainder(x, t).fma(s, s.sub(1f));         // 2^n (e^r - 1) + (2^n - 1)
    }

    /** {@code e^x - 1} for {@code x <= 0}, without cancellation near 0 (ELU and SELU's negative branch). */
    static FloatVector expm1NonPositive(FloatVector x) {
        return expm1Negative(x.min(0f).max(-20f));               // e^-20 - 1 is -1 in float
    }

    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs().min(10f);                          // tanh(10) is 1 in float
        FloatVector em = expm1Negative(ax.mul(-2f));               // e^-2|x| - 1, in (-1, 0]
        FloatVector t = em.neg().div(em.add(2f));                  // tanh|x| = (1 - e^-2|x|) / (1 + e^-2|x|)
        // Copy the sign of x (also keeps -0 and NaN as they are).
        IntVector sign = x.reinterpretAsInts().and(0x80000000);
        return t.reinterpretAsInts().or(sign).reinterpretAsFloats();
    }

    /**
     * {@code 1 / (1 + e^-x)}, with {@code e^-x} by the same reduction and polynomial as {@link #exp} but
     * only over {@code -x} in {@code [-87.3, 89]}: below, {@code e^-x} is under 1.2e-38 and the result is
     * 1 in float; above, {@code 2^n} is built as infinity and the result is 0 (the true value is
     * subnormal there). So the one-step {@code 2^n} is enough, and neither branch needs a blend: 20 vector
     * operations against 29 for {@code e^-|x|} with both tails kept (1.19x over 4096 x 1024, one
     * thread, alternating with the old kernel in one JVM). The relative error stays that of {@code exp}
     * plus one division.
     */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector y = x.neg().max(EXP_MIN_NORMAL).min(EXP_MAX);  // NaN stays NaN
        FloatVector t = y.fma(LOG2E, ROUND_MAGIC);
        return k(x, 1f).div(expOfRemainder(y, t).mul(pow2Biased(t)).add(1f));
    }

    /** Natural log; {@code log(0) = -inf}, negative or NaN gives NaN, {@code log(inf) = inf}. Subnormals read as 0. */
    static FloatVector log(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        IntVector e = bits.sub(SQRT_HALF_BITS).lanewise(VectorOperators.ASHR, 23);
        FloatVector m = bits.sub(e.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
        FloatVector f = m.sub(1f);                                 // exact
        FloatVector s = f.div(f.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector poly = s2.fma(2f / 11f, 2f / 9f);
        poly = poly.fma(s2, FloatVector.broadcast(x.species(), 2f / 7f));
        poly = poly.fma(s2, FloatVector.broadcast(x.species(), 2f / 5f));
        poly = poly.fma(s2, FloatVector.broadcast(x.species(), 2f / 3f));
        FloatVector rr = s2.mul(poly);                             // 2 atanh(s) = 2s + s R
        // ln m = f - (f^2/2 - s (f^2/2 + R)): equal to 2s + sR, but keeps the exact f as the leading term.
        FloatVector hfsq = f.mul(f).mul(0.5f);
        FloatVector lnm = f.sub(hfsq.sub(s.mul(hfsq.add(rr))));
        FloatVector ef = (FloatVector) e.convert(VectorOperators.I2F, 0);
        FloatVector result = ef.fma(k(x, LN2_HI), ef.fma(k(x, LN2_LO), lnm));
        // Special inputs: x <= 0, inf, NaN, subnormal.
        result = result.blend(Float.NEGATIVE_INFINITY, x.lt(Float.MIN_NORMAL));
        result = result.blend(Float.NaN, x.lt(0f).or(x.test(VectorOperators.IS_NAN)));
        return result.blend(Float.POSITIVE_INFINITY, x.eq(Float.POSITIVE_INFINITY));
    }

    /** {@code ln(1 + u)} for {@code u >= 0}, accurate for tiny u: {@code ln(w) * u / (w - 1)} with {@code w = 1 + u}. */
    static FloatVector log1pNonNegative(FloatVector u) {
        FloatVector w = u.add(1f);
        FloatVector d = w.sub(1f);
        FloatVector lw = log(w);
        FloatVector corrected = lw.mul(u.div(d));
        return corrected.blend(u, d.eq(0f)).blend(lw, w.eq(Float.POSITIVE_INFINITY));
    }

    /** {@code log(1 + e^x)} without overflow: {@code max(x, 0) + ln(1 + e^-|x|)}. */
    static FloatVector softplus(FloatVector x) {
        FloatVector l = log1pNonNegative(exp(x.abs().neg()));
        return x.max(0f).add(l);
    }
}

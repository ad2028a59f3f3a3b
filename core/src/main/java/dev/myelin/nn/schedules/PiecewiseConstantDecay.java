package dev.myelin.nn.schedules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's {@code PiecewiseConstantDecay}: {@code values[0]} while {@code step <= boundaries[0]},
 * {@code values[i]} while {@code boundaries[i-1] < step <= boundaries[i]}, and the last value after
 * the last boundary.
 */
public final class PiecewiseConstantDecay implements LearningRateSchedule {

    private final long[] boundaries;
    private final double[] values;

    /**
     * {@code PiecewiseConstantDecay(boundaries, values)}: one more value than boundaries, boundaries increasing.
     *
     * @param boundaries the steps at which the rate changes, strictly increasing, at least one; copied
     * @param values the rate of each interval, one more than {@code boundaries}, each finite and &gt; 0; copied
     * @throws IllegalArgumentException when either array is null or empty, the lengths do not fit, the
     *     boundaries do not increase, or a value is not finite and &gt; 0
     */
    public PiecewiseConstantDecay(long[] boundaries, double[] values) {
        if (boundaries == null || values == null || boundaries.length == 0 || values.length != boundaries.length + 1) {
            throw new IllegalArgumentException("PiecewiseConstantDecay: argument 'values' must have one more element"
                    + " than 'boundaries' (at least one), got " + (boundaries == null ? "null" : boundaries.length)
                    + " boundaries and " + (values == null ? "null" : values.length) + " values");
        }
        for (int i = 1; i < boundaries.length; i++) {
            if (boundaries[i] <= boundaries[i - 1]) {
                throw new IllegalArgumentException("PiecewiseConstantDecay: argument 'boundaries' must increase, got "
                        + Arrays.toString(boundaries));
            }
        }
        for (double v : values) {
            LearningRateSchedule.positive("PiecewiseConstantDecay", "values", v);
        }
        this.boundaries = boundaries.clone();
        this.values = values.clone();
    }

    @Override
    public double at(long step) {
        for (int i = 0; i < boundaries.length; i++) {
            if (step <= boundaries[i]) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    @Override
    public Map<String, Object> config() {
        List<Object> b = new ArrayList<>();
        for (long v : boundaries) {
            b.add(v);
        }
        List<Object> v = new ArrayList<>();
        for (double x : values) {
            v.add(x);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("boundaries", b);
        c.put("values", v);
        return c;
    }
}

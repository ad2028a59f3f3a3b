package dev.myelin.bench.report;

/** Conversions between JMH's score units and seconds per call. */
public final class Units {

    private Units() {
    }

    /**
     * Seconds per call for a JMH score: a time per call ({@code ns/op}, {@code us/op}, {@code ms/op},
     * {@code s/op}, {@code min/op}) or a rate ({@code ops/ns} ... {@code ops/min}).
     */
    public static double secondsPerCall(double score, String unit) {
        if (!(score > 0) || Double.isInfinite(score)) {
            throw new IllegalArgumentException("score: expected a finite value > 0, got " + score + " " + unit);
        }
        String[] parts = unit.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("unit: expected TIME/op or ops/TIME, got '" + unit + "'");
        }
        if (parts[1].equals("op")) {
            return score * seconds(parts[0], unit);
        }
        if (parts[0].equals("ops")) {
            return seconds(parts[1], unit) / score;
        }
        throw new IllegalArgumentException("unit: expected TIME/op or ops/TIME, got '" + unit + "'");
    }

    private static double seconds(String timeUnit, String unit) {
        return switch (timeUnit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            case "hr" -> 3600;
            default -> throw new IllegalArgumentException("unit: unknown time unit '" + timeUnit + "' in '" + unit + "'");
        };
    }
}

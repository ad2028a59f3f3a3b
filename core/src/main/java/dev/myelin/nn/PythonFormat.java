package dev.myelin.nn;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Python's {@code str.format} that Keras callbacks use for file names and CSV cells:
 * {@code {key}} and {@code {key:spec}} with a spec of {@code [0][width][.precision][d|f|e|%]}, and
 * {@code {{}} / {@code }}} for braces. Numbers print as Python prints them: {@code repr} of a float
 * ({@code 0.1}, {@code 1e-05}), correctly rounded fixed and exponent forms ({@code 0.125} to 2 places
 * gives {@code 0.12}, as in Python).
 */
final class PythonFormat {

    private static final Pattern FIELD = Pattern.compile("\\{([^{}:]+)(?::([^{}]*))?}");
    private static final Pattern SPEC = Pattern.compile("(0)?(\\d+)?(?:\\.(\\d+))?([dfe%]?)");

    /** A literal piece, or a field with its key and spec. */
    private record Part(String literal, String key, Matcher spec) {
    }

    private final String pattern;
    private final List<Part> parts = new ArrayList<>();

    /** Parses {@code pattern}; a malformed field or an unsupported spec fails here, naming {@code owner}. */
    PythonFormat(String owner, String pattern) {
        this.pattern = pattern;
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char ch = pattern.charAt(i);
            if ((ch == '{' || ch == '}') && i + 1 < pattern.length() && pattern.charAt(i + 1) == ch) {
                literal.append(ch);
                i += 2;
                continue;
            }
            if (ch == '{') {
                Matcher f = FIELD.matcher(pattern).region(i, pattern.length());
                if (!f.lookingAt()) {
                    throw new IllegalArgumentException(owner + ": argument 'filepath' has an unclosed or empty field"
                            + " at character " + i + ": " + pattern);
                }
                String spec = f.group(2) == null ? "" : f.group(2);
                Matcher s = SPEC.matcher(spec);
                if (!s.matches()) {
                    throw new IllegalArgumentException(owner + ": argument 'filepath' field {" + f.group(1) + ":" + spec
                            + "} has a format spec outside [0][width][.precision][d|f|e|%]: " + pattern);
                }
                parts.add(new Part(literal.toString(), null, null));
                literal.setLength(0);
                parts.add(new Part(null, f.group(1), s));
                i = f.end();
                continue;
            }
            if (ch == '}') {
                throw new IllegalArgumentException(owner + ": argument 'filepath' has a single '}' at character " + i
                        + " (write '}}' for a brace): " + pattern);
            }
            literal.append(ch);
            i++;
        }
        parts.add(new Part(literal.toString(), null, null));
    }

    /** Whether the pattern names {@code key}. */
    boolean uses(String key) {
        return parts.stream().anyMatch(p -> key.equals(p.key));
    }

    /** The keys the pattern names, in order. */
    List<String> keys() {
        return parts.stream().filter(p -> p.key != null).map(Part::key).toList();
    }

    /**
     * The pattern with every field filled from {@code values} ({@code Integer}/{@code Long} or {@code Double});
     * a key that is absent fails naming the pattern and the keys present, as Keras's KeyError does.
     */
    String format(Map<String, ?> values) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p.key == null) {
                sb.append(p.literal);
                continue;
            }
            Object v = values.get(p.key);
            if (v == null) {
                throw new IllegalArgumentException("Failed to format this callback filepath: \"" + pattern
                        + "\". Reason: no value for '" + p.key + "'; available: " + values.keySet());
            }
            sb.append(field(p.key, (Number) v, p.spec));
        }
        return sb.toString();
    }

    private String field(String key, Number v, Matcher spec) {
        boolean integral = v instanceof Integer || v instanceof Long;
        String type = spec.group(4);
        Integer precision = spec.group(3) == null ? null : Integer.parseInt(spec.group(3));
        String text;
        switch (type) {
            case "d" -> {
                if (!integral) {
                    throw new IllegalArgumentException("Failed to format this callback filepath: \"" + pattern
                            + "\". Reason: format code 'd' for the float '" + key + "'");
                }
                text = Long.toString(v.longValue());
            }
            case "f" -> text = fixed(v.doubleValue(), precision == null ? 6 : precision);
            case "e" -> text = exponent(v.doubleValue(), precision == null ? 6 : precision);
            case "%" -> text = fixed(v.doubleValue() * 100, precision == null ? 6 : precision) + "%";
            default -> text = integral ? Long.toString(v.longValue()) : repr(v.doubleValue());
        }
        int width = spec.group(2) == null ? 0 : Integer.parseInt(spec.group(2));
        if (text.length() >= width) {
            return text;
        }
        String pad = (spec.group(1) != null ? "0" : " ").repeat(width - text.length());
        if (spec.group(1) != null && text.startsWith("-")) {
            return "-" + pad + text.substring(1);
        }
        return pad + text;
    }

    private static String fixed(double v, int places) {
        if (!Double.isFinite(v)) {
            return repr(v);
        }
        return new BigDecimal(v).setScale(places, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String exponent(double v, int places) {
        if (!Double.isFinite(v)) {
            return repr(v);
        }
        if (v == 0) {
            return (1 / v < 0 ? "-" : "") + (places == 0 ? "0" : "0." + "0".repeat(places)) + "e+00";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(places + 1, RoundingMode.HALF_EVEN));
        int exp = d.precision() - d.scale() - 1;
        BigDecimal mantissa = d.movePointLeft(exp).setScale(places, RoundingMode.HALF_EVEN);
        return mantissa.toPlainString() + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** Python's {@code repr} of a float: the shortest digits that read back, in Python's notation. */
    static String repr(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        // Double.toString gives the shortest digits that read back (JDK 19+), as Python's repr does.
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int point = digits.length() - d.scale();
        String sign = v < 0 ? "-" : "";
        if (point > -4 && point <= 16) {
            if (point <= 0) {
                return sign + "0." + "0".repeat(-point) + digits;
            }
            if (point >= digits.length()) {
                return sign + digits + "0".repeat(point - digits.length()) + ".0";
            }
            return sign + digits.substring(0, point) + "." + digits.substring(point);
        }
        int exp = point - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}

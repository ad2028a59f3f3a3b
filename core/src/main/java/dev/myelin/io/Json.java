package dev.myelin.io;

import dev.myelin.data.MalformedFileException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain Java values, for configuration files: objects are {@code LinkedHashMap<String, Object>}
 * (in file order), arrays {@code List<Object>}, strings, numbers ({@code Long} when integral, else
 * {@code Double}), {@code Boolean} and {@code null}. Parsing uses the same strict parser as the safetensors
 * header, so errors name the source and the byte.
 */
public final class Json {

    private Json() {
    }

    /**
     * Parses {@code text}; {@code source} (a path, an entry name) is named in errors.
     *
     * @param text one complete JSON value, nothing but whitespace around it; not null
     * @param source what the text came from (a path, an entry name), used only in error messages
     * @return the value as plain Java: a {@code LinkedHashMap<String, Object>}, {@code List<Object>},
     *     {@code String}, {@code Long}, {@code Double}, {@code Boolean}, or null for JSON {@code null}
     * @throws MalformedFileException when the text is not valid JSON; the message names the source and byte
     */
    public static Object parse(String text, Object source) throws MalformedFileException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return toJava(JsonParser.parse(bytes, 0, bytes.length, 0, source));
    }

    private static Object toJava(JsonValue v) {
        return switch (v) {
            case JsonValue.JsonObject o -> {
                LinkedHashMap<String, Object> m = new LinkedHashMap<>();
                o.members().forEach((k, x) -> m.put(k, toJava(x)));
                yield m;
            }
            case JsonValue.JsonArray a -> {
                List<Object> l = new ArrayList<>();
                a.elements().forEach(x -> l.add(toJava(x)));
                yield l;
            }
            case JsonValue.JsonString s -> s.value();
            case JsonValue.JsonNumber n -> n.text().matches("-?\\d{1,18}") ? (Object) Long.parseLong(n.text())
                    : (Object) Double.parseDouble(n.text());
            case JsonValue.JsonLiteral l -> l.text().equals("null") ? null : Boolean.valueOf(l.text());
        };
    }

    /**
     * Writes {@code value} (maps with string keys, iterables, strings, numbers, booleans, null) as indented
     * JSON. Floats are written with the shortest text that reads back as the same float.
     *
     * @param value the value to write; map keys are written with {@code String.valueOf}; null writes {@code null}
     * @return the JSON text, indented by two spaces a level, ending with a newline
     * @throws IllegalArgumentException when the value holds a NaN or infinite float or double, or an
     *     object of a type JSON cannot hold
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "");
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object v, String indent) {
        String inner = indent + "  ";
        switch (v) {
            case null -> sb.append("null");
            case String s -> appendString(sb, s);
            case Boolean b -> sb.append(b);
            case Float f -> number(sb, Float.isFinite(f) ? Float.toString(f) : null, v);
            case Double d -> number(sb, Double.isFinite(d) ? Double.toString(d) : null, v);
            case Number n -> sb.append(n);
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sb.append(first ? "\n" : ",\n").append(inner);
                    appendString(sb, String.valueOf(e.getKey()));
                    sb.append(": ");
                    write(sb, e.getValue(), inner);
                    first = false;
                }
                sb.append(first ? "}" : "\n" + indent + "}");
            }
            case Iterable<?> it -> {
                sb.append('[');
                boolean first = true;
                for (Object x : it) {
                    sb.append(first ? "" : ", ");
                    write(sb, x, inner);
                    first = false;
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("Json.write: cannot write a " + v.getClass().getName());
        }
    }

    private static void number(StringBuilder sb, String text, Object v) {
        if (text == null) {
            throw new IllegalArgumentException("Json.write: JSON has no " + v);
        }
        sb.append(text);
    }

    /** Appends {@code s} as a JSON string literal. */
    static void appendString(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}

package dev.myelin.io;

import dev.myelin.data.MalformedFileException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A strict RFC 8259 JSON parser over UTF-8 bytes, small enough to keep core free of dependencies.
 * It works on bytes rather than chars so every error and every value carries the byte offset in
 * the file. Duplicate object keys are an error (a weight file with two tensors of one name is
 * ambiguous), and so is anything but whitespace after the top-level value.
 */
final class JsonParser {

    /** Nesting deeper than this is no safetensors header; refusing it keeps the stack bounded. */
    private static final int MAX_DEPTH = 64;

    private final byte[] bytes;
    private final int end;
    private final long base;
    private final Object source;
    private int pos;

    private JsonParser(byte[] bytes, int start, int end, long base, Object source) {
        this.bytes = bytes;
        this.pos = start;
        this.end = end;
        this.base = base - start;
        this.source = source;
    }

    /**
     * Parses {@code bytes[start, end)} as one JSON value.
     *
     * @param base   the file offset of {@code bytes[start]}, added to every reported offset
     * @param source the file, named in error messages
     */
    static JsonValue parse(byte[] bytes, int start, int end, long base, Object source) throws MalformedFileException {
        JsonParser parser = new JsonParser(bytes, start, end, base, source);
        parser.skipWhitespace();
        JsonValue value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos != end) {
            throw parser.error(parser.pos, "unexpected " + parser.describe(parser.pos) + " after the end of the JSON value");
        }
        return value;
    }

    private JsonValue value(int depth) throws MalformedFileException {
        if (depth > MAX_DEPTH) {
            throw error(pos, "JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        if (pos >= end) {
            throw error(pos, "JSON ends where a value was expected");
        }
        byte b = bytes[pos];
        return switch (b) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> {
                int start = pos;
                String text = string();
                yield new JsonValue.JsonString(text, base + start);
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (b == '-' || (b >= '0' && b <= '9')) {
                    yield number();
                }
                throw error(pos, "expected a JSON value, found " + describe(pos));
            }
        };
    }

    private JsonValue.JsonObject object(int depth) throws MalformedFileException {
        long start = base + pos;
        pos++; // '{'
        LinkedHashMap<String, JsonValue> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return new JsonValue.JsonObject(members, start);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error(pos, "expected a quoted object key, found " + describe(pos));
            }
            int keyStart = pos;
            String key = string();
            if (members.containsKey(key)) {
                throw error(keyStart, "duplicate key \"" + key + "\"");
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(key, value(depth + 1));
            skipWhitespace();
            byte next = peek();
            if (next == ',') {
                pos++;
            } else if (next == '}') {
                pos++;
                return new JsonValue.JsonObject(members, start);
            } else {
                throw error(pos, "expected ',' or '}' in an object, found " + describe(pos));
            }
        }
    }

    private JsonValue.JsonArray array(int depth) throws MalformedFileException {
        long start = base + pos;
        pos++; // '['
        List<JsonValue> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return new JsonValue.JsonArray(elements, start);
        }
        while (true) {
            skipWhitespace();
            elements.add(value(depth + 1));
            skipWhitespace();
            byte next = peek();
            if (next == ',') {
                pos++;
            } else if (next == ']') {
                pos++;
                return new JsonValue.JsonArray(elements, start);
            } else {
                throw error(pos, "expected ',' or ']' in an array, found " + describe(pos));
            }
        }
    }

    /** Reads a string starting at the opening quote; leaves {@code pos} after the closing quote. */
    private String string() throws MalformedFileException {
        int quote = pos;
        pos++; // opening quote
        StringBuilder out = new StringBuilder();
        int runStart = pos;
        while (true) {
            if (pos >= end) {
                throw error(quote, "unterminated string");
            }
            byte b = bytes[pos];
            if (b == '"') {
                out.append(utf8(runStart, pos));
                pos++;
                return out.toString();
            }
            if ((b & 0xff) < 0x20) {
                throw error(pos, "control character 0x" + Integer.toHexString(b & 0xff) + " inside a string");
            }
            if (b == '\\') {
                out.append(utf8(runStart, pos));
                escape(out);
                runStart = pos;
            } else {
                pos++;
            }
        }
    }

    private void escape(StringBuilder out) throws MalformedFileException {
        int at = pos;
        pos++; // backslash
        if (pos >= end) {
            throw error(at, "unterminated escape sequence");
        }
        byte e = bytes[pos++];
        switch (e) {
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case '/' -> out.append('/');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> out.append(hex4(at));
            default -> throw error(at, "invalid escape sequence \\" + (char) (e & 0xff));
        }
    }

    private char hex4(int escapeStart) throws MalformedFileException {
        if (pos + 4 > end) {
            throw error(escapeStart, "truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(bytes[pos + i] & 0xff, 16);
            if (d < 0) {
                throw error(escapeStart, "invalid \\u escape: expected 4 hex digits");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private String utf8(int from, int to) throws MalformedFileException {
        if (from == to) {
            return "";
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw error(in.position(), "string is not valid UTF-8 (byte 0x" + Integer.toHexString(bytes[in.position()] & 0xff) + ")");
        }
        return out.flip().toString();
    }

    private JsonValue.JsonNumber number() throws MalformedFileException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw error(start, "malformed number");
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error(start, "malformed number: no digit after '.'");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error(start, "malformed number: no digit in the exponent");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        return new JsonValue.JsonNumber(new String(bytes, start, pos - start, StandardCharsets.US_ASCII), base + start);
    }

    private JsonValue.JsonLiteral literal(String word) throws MalformedFileException {
        int start = pos;
        for (int i = 0; i < word.length(); i++) {
            if (pos >= end || bytes[pos] != word.charAt(i)) {
                throw error(start, "expected a JSON value, found " + describe(start));
            }
            pos++;
        }
        return new JsonValue.JsonLiteral(word, base + start);
    }

    private void expect(char c) throws MalformedFileException {
        if (peek() != c) {
            throw error(pos, "expected '" + c + "', found " + describe(pos));
        }
        pos++;
    }

    /** The byte at {@code pos}, or 0 at the end (0 never matches anything the grammar expects). */
    private byte peek() {
        return pos < end ? bytes[pos] : 0;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte b = bytes[pos];
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private String describe(int at) {
        if (at >= end) {
            return "the end of the header";
        }
        int b = bytes[at] & 0xff;
        return b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : "byte 0x" + Integer.toHexString(b);
    }

    private MalformedFileException error(int at, String problem) {
        return MalformedFileException.atByte(source, base + at, problem);
    }
}

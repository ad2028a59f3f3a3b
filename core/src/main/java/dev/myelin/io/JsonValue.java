package dev.myelin.io;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * A parsed JSON value that remembers the byte offset where it starts in its file, so that a
 * format reader can say exactly where a wrong value sits.
 */
sealed interface JsonValue {

    /** Byte offset of the value's first character in the file. */
    long offset();

    /** A short name of the kind of value, for error messages. */
    String kind();

    record JsonObject(LinkedHashMap<String, JsonValue> members, long offset) implements JsonValue {
        public String kind() {
            return "an object";
        }
    }

    record JsonArray(List<JsonValue> elements, long offset) implements JsonValue {
        public String kind() {
            return "an array";
        }
    }

    record JsonString(String value, long offset) implements JsonValue {
        public String kind() {
            return "a string";
        }
    }

    /** A number, kept as its text: safetensors needs exact integers up to 2^64, never doubles. */
    record JsonNumber(String text, long offset) implements JsonValue {
        public String kind() {
            return "a number";
        }
    }

    /** {@code true}, {@code false} or {@code null}. */
    record JsonLiteral(String text, long offset) implements JsonValue {
        public String kind() {
            return text;
        }
    }
}

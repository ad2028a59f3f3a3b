package dev.myelin.io;

import dev.myelin.data.MalformedFileException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class JsonParserTest {

    private static JsonValue parse(String json) throws MalformedFileException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return JsonParser.parse(b, 0, b.length, 100, "h.json");
    }

    private static MalformedFileException fails(String json) {
        return assertThrows(MalformedFileException.class, () -> parse(json), json);
    }

    @Test
    void parsesTheGrammarWithOffsets() throws MalformedFileException {
        JsonValue.JsonObject o = assertInstanceOf(JsonValue.JsonObject.class,
                parse(" {\"a\": [1, -2.5e3, true, null], \"b\": {\"c\": \"x\"}} "));
        assertEquals(101, o.offset(), "base 100 plus the leading space");
        JsonValue.JsonArray a = assertInstanceOf(JsonValue.JsonArray.class, o.members().get("a"));
        assertEquals(List.of("1", "-2.5e3"), a.elements().subList(0, 2).stream()
                .map(v -> ((JsonValue.JsonNumber) v).text()).toList());
        assertEquals("true", ((JsonValue.JsonLiteral) a.elements().get(2)).text());
        assertEquals(100 + 7, a.offset());
        JsonValue.JsonObject b = assertInstanceOf(JsonValue.JsonObject.class, o.members().get("b"));
        assertEquals("x", ((JsonValue.JsonString) b.members().get("c")).value());
        assertEquals(List.of("a", "b"), List.copyOf(o.members().keySet()), "key order kept");
    }

    @Test
    void decodesEscapesAndUtf8() throws MalformedFileException {
        JsonValue.JsonString s = assertInstanceOf(JsonValue.JsonString.class,
                parse("\"q\\\"b\\\\s\\/n\\n\\t\\u00e9\\ud83d\\ude00 ü层\""));
        assertEquals("q\"b\\s/n\n\té\uD83D\uDE00 ü层", s.value());
    }

    @Test
    void rejectsWhatIsNotJson() {
        assertEquals(100 + 7, fails("{\"a\":1,}").byteOffset(), "trailing comma: offset of the '}'");
        fails("{\"a\":01}");
        fails("{\"a\":1.}");
        fails("{\"a\":-}");
        fails("{\"a\":1e}");
        fails("{\"a\":tru}");
        fails("{a:1}");
        fails("\"tab\tinside\"");
        fails("\"\\u12g4\"");
        fails("\"unterminated");
        fails("[1 2]");
        fails("");
        MalformedFileException deep = fails("[".repeat(100) + "]".repeat(100));
        assertTrue(deep.getMessage().contains("nested deeper"), deep.getMessage());
        MalformedFileException dup = fails("{\"k\":1,\"k\":2}");
        assertEquals(100 + 7, dup.byteOffset());
        assertTrue(dup.getMessage().startsWith("h.json: at byte offset 107: duplicate key \"k\""), dup.getMessage());
    }
}

package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

    @TempDir
    Path dir;

    private static Dataset read(CsvReader reader, String text) throws IOException {
        return reader.read(new StringReader(text), "test.csv");
    }

    private static MalformedFileException fails(CsvReader reader, String text) {
        return assertThrows(MalformedFileException.class, () -> read(reader, text));
    }

    @Test
    void readsFeaturesAndStringLabels() throws IOException {
        Dataset d = read(CsvReader.labelColumn("kind"), "a,kind,b\n1,cat,2\n3.5,dog,-4e1\n.5,cat,+6.\n");
        assertEquals(3, d.size());
        assertEquals(FloatMatrix.of(new float[][] {{1, 2}, {3.5f, -40}, {0.5f, 6}}), d.features());
        assertEquals(List.of("cat", "dog"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 0}, d.classLabels());
        assertEquals(FloatMatrix.of(new float[][] {{0}, {1}, {0}}), d.labels());
    }

    @Test
    void labelByIndexCountsFromEitherEnd() throws IOException {
        String text = "x,y,label\n1,2,a\n3,4,b\n";
        Dataset last = read(CsvReader.labelColumn(-1), text);
        Dataset second = read(CsvReader.labelColumn(2), text);
        assertEquals(last.features(), second.features());
        Dataset first = read(CsvReader.labelColumn(0).numericLabels(), "t,x\n0.5,1\n2,3\n");
        assertEquals(FloatMatrix.of(new float[][] {{0.5f}, {2}}), first.labels());
        assertFalse(first.hasClasses());
    }

    @Test
    void quotedFieldsFollowRfc4180() throws IOException {
        String text = "\"first, feature\",\"say \"\"hi\"\"\",label\r\n"
                + "1,2,\"a, b\"\r\n"
                + "\"3\",4,\"multi\nline \"\"x\"\"\"\r\n"
                + "5, 6 ,\"a, b\"\r\n";
        CsvTable table = CsvReader.parse(new StringReader(text), "t.csv", ',', true);
        assertEquals(List.of("first, feature", "say \"hi\"", "label"), table.header());
        assertEquals("multi\nline \"x\"", table.get(1, 2));
        assertEquals(3, table.line(1));
        assertEquals(5, table.line(2), "the record after a line break inside quotes starts on line 5");
        Dataset d = read(CsvReader.labelColumn("label"), text);
        assertEquals(List.of("a, b", "multi\nline \"x\""), d.classNames());
        assertArrayEquals(new int[] {0, 1, 0}, d.classLabels());
        assertEquals(FloatMatrix.of(new float[][] {{1, 2}, {3, 4}, {5, 6}}), d.features());
    }

    @Test
    void blankLinesBomAndOtherDelimiters() throws IOException {
        Dataset d = read(CsvReader.labelColumn("c").delimiter(';'), "\uFEFFa;b;c\n\n1.5;2;x\n   \n3;4;y\n\n");
        assertEquals(2, d.size());
        assertEquals(2, d.featureCount());
        assertEquals(1.5f, d.features().get(0, 0));
        assertThrows(MalformedFileException.class, () -> read(CsvReader.labelColumn("c"), "a;b;c\n1;2;x\n"));
        MalformedFileException e = fails(CsvReader.labelColumn("c").delimiter(';'), "a;b;c\n1,5;2;x\n");
        assertTrue(e.getMessage().contains("\"1,5\" is not a decimal number"), e.getMessage());
    }

    @Test
    void headerlessFilesNeedAnIndex() throws IOException {
        Dataset d = read(CsvReader.labelColumn(1).withoutHeader(), "1,a,2\n3,b,4\n");
        assertEquals(2, d.size());
        assertThrows(IllegalArgumentException.class, () -> CsvReader.labelColumn("x").withoutHeader());
    }

    @Test
    void errorsNameFileLineAndColumn() {
        MalformedFileException e = fails(CsvReader.labelColumn("y"), "a,b,y\n1,2,p\n3,oops,q\n");
        assertEquals("test.csv: line 3, column 2: (\"b\") \"oops\" is not a decimal number", e.getMessage());
        assertEquals(3, e.line());
        assertEquals(2, e.column());

        e = fails(CsvReader.labelColumn("y"), "a,b,y\n1,2,p\n3,4\n");
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("expected 3 fields"), e.getMessage());

        e = fails(CsvReader.labelColumn("y"), "a,b,y\n1,,p\n");
        assertTrue(e.getMessage().contains("line 2, column 2") && e.getMessage().contains("missing value"), e.getMessage());

        e = fails(CsvReader.labelColumn("y"), "a,b,y\n1,2,\"p\n3,4,q\n");
        assertTrue(e.getMessage().contains("line 2, column 3") && e.getMessage().contains("never closed"), e.getMessage());

        e = fails(CsvReader.labelColumn("y"), "a,b,y\n1,2,\"p\"x\n");
        assertTrue(e.getMessage().contains("line 2, column 3") && e.getMessage().contains("after the closing quote"),
                e.getMessage());

        e = fails(CsvReader.labelColumn("y"), "a,b,y\n1,2 \"3\",p\n");
        assertTrue(e.getMessage().contains("line 2, column 2") && e.getMessage().contains("quote inside"), e.getMessage());

        e = fails(CsvReader.labelColumn("missing"), "a,b,y\n1,2,p\n");
        assertTrue(e.getMessage().contains("no column named \"missing\""), e.getMessage());

        e = fails(CsvReader.labelColumn(5), "a,b,y\n1,2,p\n");
        assertTrue(e.getMessage().contains("label column 5"), e.getMessage());

        e = fails(CsvReader.labelColumn("y"), "a,b,y\n1,2, \n");
        assertTrue(e.getMessage().contains("empty label"), e.getMessage());

        e = fails(CsvReader.labelColumn("y"), "a,b,y\n1,1e39,p\n");
        assertTrue(e.getMessage().contains("float32 range"), e.getMessage());

        e = fails(CsvReader.labelColumn("y"), "a,b,y\n1,NaN,p\n");
        assertTrue(e.getMessage().contains("line 2, column 2"), e.getMessage());

        e = fails(CsvReader.labelColumn("y"), "");
        assertTrue(e.getMessage().contains("empty file"), e.getMessage());

        e = fails(CsvReader.labelColumn("y"), "a,b,y\n");
        assertTrue(e.getMessage().contains("no data records"), e.getMessage());
    }

    @Test
    void givenEncoderKeepsClassesAndRejectsUnknownLabels() throws IOException {
        LabelEncoder encoder = LabelEncoder.of(List.of("z", "a"));
        Dataset d = read(CsvReader.labelColumn("y").labelEncoder(encoder), "x,y\n1,a\n2,z\n");
        assertArrayEquals(new int[] {1, 0}, d.classLabels());
        assertEquals(List.of("z", "a"), d.classNames());
        MalformedFileException e = fails(CsvReader.labelColumn("y").labelEncoder(encoder), "x,y\n1,a\n2,q\n");
        assertTrue(e.getMessage().startsWith("test.csv: line 3, column 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsvReader.labelColumn("y").labelEncoder(new LabelEncoder()));
    }

    @Test
    void readsAFileAndNamesItInErrors() throws IOException {
        Path good = dir.resolve("good.csv");
        Files.writeString(good, "a,y\n1,p\n2,q\n", StandardCharsets.UTF_8);
        assertEquals(2, CsvReader.labelColumn("y").read(good).size());
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,y\n1,p\nx,q\n", StandardCharsets.UTF_8);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CsvReader.labelColumn("y").read(bad));
        assertTrue(e.getMessage().startsWith(bad + ": line 3, column 1"), e.getMessage());
    }

    @Test
    void invalidUtf8NamesFileAndLine() throws IOException {
        Path bad = dir.resolve("latin1.csv");
        byte[] head = "a,y\n1,p\n2,caf".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 2);
        bytes[head.length] = (byte) 0xe9; // 'é' in Latin-1, not UTF-8
        bytes[head.length + 1] = '\n';
        Files.write(bad, bytes);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CsvReader.labelColumn("y").read(bad));
        assertTrue(e.getMessage().startsWith(bad + ": line 3, column 2"), e.getMessage());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void everyTruncationEitherReadsFewerRowsOrNamesTheLine() throws IOException {
        String text = "a,b,label\n1.5,2,\"x, y\"\n3,4,z\n5,6,\"x, y\"\n";
        for (int cut = 0; cut < text.length(); cut++) {
            String part = text.substring(0, cut);
            try {
                Dataset d = read(CsvReader.labelColumn("label"), part);
                assertTrue(d.size() >= 1 && d.size() <= 3, "cut " + cut);
            } catch (MalformedFileException e) {
                assertTrue(e.getMessage().startsWith("test.csv: line "), e.getMessage());
                assertTrue(e.line() >= 1 && e.line() <= 4, "cut " + cut + ": " + e.getMessage());
            }
        }
    }
}

package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** File-name patterns and CSV cells print as Python's str.format and repr (values checked with CPython 3). */
class PythonFormatTest {

    @Test
    void reprMatchesPython() {
        assertEquals("0.1", PythonFormat.repr(0.1));
        assertEquals("1e-05", PythonFormat.repr(1e-5));
        assertEquals("0.0001", PythonFormat.repr(1e-4));
        assertEquals("1.5e+16", PythonFormat.repr(1.5e16));
        assertEquals("1000000000000000.0", PythonFormat.repr(1e15));
        assertEquals("2.0", PythonFormat.repr(2));
        assertEquals("-0.6931471824645996", PythonFormat.repr(-0.6931471824645996));
        assertEquals("nan", PythonFormat.repr(Double.NaN));
        assertEquals("-inf", PythonFormat.repr(Double.NEGATIVE_INFINITY));
        assertEquals("1.2345678e-07", PythonFormat.repr(1.2345678e-7));
    }

    @Test
    void fieldsFormatAsStrFormat() {
        PythonFormat f = new PythonFormat("t", "ckpt/{epoch:02d}-{val_loss:.4f}-{acc:.2e}-{lr}-{{x}}.myelin");
        assertEquals("ckpt/03-0.1235-1.25e-03-0.001-{x}.myelin",
                f.format(Map.of("epoch", 3, "val_loss", 0.123456, "acc", 0.00125, "lr", 0.001)));
        // Correct rounding of the binary value, half to even: Python gives '0.12' and '2.5e+00'.
        assertEquals("0.12", new PythonFormat("t", "{v:.2f}").format(Map.of("v", 0.125)));
        assertEquals("2e+00", new PythonFormat("t", "{v:.0e}").format(Map.of("v", 2.5)));
        assertEquals("  7", new PythonFormat("t", "{epoch:3d}").format(Map.of("epoch", 7)));
        assertEquals("-0012.50", new PythonFormat("t", "{v:08.2f}").format(Map.of("v", -12.5)));
        assertEquals("50.0%", new PythonFormat("t", "{v:.1%}").format(Map.of("v", 0.5)));
    }

    @Test
    void badPatternsAndMissingKeysFailWithTheirName() {
        assertThrows(IllegalArgumentException.class, () -> new PythonFormat("t", "a{epoch"));
        assertThrows(IllegalArgumentException.class, () -> new PythonFormat("t", "a}b"));
        assertThrows(IllegalArgumentException.class, () -> new PythonFormat("t", "{v:>10s}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PythonFormat("t", "{val_loss:.2f}").format(Map.of("loss", 1.0)));
        assertTrue(e.getMessage().contains("val_loss") && e.getMessage().contains("[loss]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PythonFormat("t", "{loss:d}").format(Map.of("loss", 1.0)));
    }
}

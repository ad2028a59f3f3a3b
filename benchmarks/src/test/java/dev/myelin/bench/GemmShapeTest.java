package dev.myelin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GemmShapeTest {

    @Test
    void parsesPlainAndTransposedShapes() {
        GemmShape nn = GemmShape.parse("128x784x256");
        assertEquals(new GemmShape(128, 784, 256, false, false), nn);
        assertEquals(128, nn.aRows());
        assertEquals(784, nn.aCols());
        GemmShape tn = GemmShape.parse("784x128x256:TN");
        assertEquals(new GemmShape(784, 128, 256, true, false), tn);
        // dW = Xᵀ·dY: X is stored [batch x in] = [128 x 784].
        assertEquals(128, tn.aRows());
        assertEquals(784, tn.aCols());
        GemmShape nt = GemmShape.parse("128x256x784:nt");
        // dX = dY·Wᵀ: W is stored [in x out] = [784 x 256].
        assertEquals(784, nt.bRows());
        assertEquals(256, nt.bCols());
        assertEquals("128x256·784x256ᵀ", nt.label());
    }

    @Test
    void rejectsMalformedShapes() {
        for (String bad : new String[] {"128x784", "axbxc", "1x2x3:XY", "0x2x3", "1x2x3:T"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> GemmShape.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("gemm shape:"), e.getMessage());
        }
    }
}

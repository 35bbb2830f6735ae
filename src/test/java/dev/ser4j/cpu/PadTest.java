package dev.ser4j.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** pad: dense [B,T,C] into the padded layout, frames past each length zeroed. */
class PadTest {
    @Test
    void copiesValidFramesAndZeroesEverythingElse() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};     // B=2, T=3, C=2
        float[] out = new float[2 * (3 + 2) * 2];
        java.util.Arrays.fill(out, -1f);
        Pad.forward(2, 3, 1, 2, new CpuFloats(x), new CpuInts(new int[]{3, 1}), new CpuFloats(out));
        assertArrayEquals(new float[]{0, 0, 1, 2, 3, 4, 5, 6, 0, 0, /* b=1 */ 0, 0, 7, 8, 0, 0, 0, 0, 0, 0}, out);
    }
}

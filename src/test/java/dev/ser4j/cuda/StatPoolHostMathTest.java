package dev.ser4j.cuda;

import dev.ser4j.core.Pooling;
import dev.ser4j.cpu.CpuFloats;
import dev.ser4j.cpu.CpuInts;
import dev.ser4j.cpu.StatPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** kernels/statpool.cu built for the host against cpu/StatPool: same sums in double, so bit-exact. */
class StatPoolHostMathTest {
    private static final int[][] SHAPES = {{1, 1, 0, 1}, {3, 7, 2, 5}, {6, 31, 3, 17}, {4, 2, 1, 64}, {9, 50, 5, 33}};

    @ParameterizedTest
    @EnumSource(Pooling.class)
    void forwardAndBackwardMatchTheJavaOpBitForBit(Pooling st) {
        HostMath hm = HostMath.get();
        int seed = 0;
        for (int[] sh : SHAPES) {
            SplittableRandom r = new SplittableRandom(++seed * 101 + st.ordinal());
            int B = sh[0], T = sh[1], P = sh[2], C = sh[3], S = st.blocks() * C + 2;
            int[] len = Data.lengths(r, B, T, st == Pooling.SWEM);
            float[] x = Data.padded(r, B, T, P, C, len);
            float[] outJ = Data.gaussian(r, B * S, 1), outK = outJ.clone();
            int[] amJ = new int[B * C], amK = new int[B * C];
            StatPool.forward(st, B, T, P, C, new CpuFloats(x), new CpuInts(len), new CpuFloats(outJ), S, new CpuInts(amJ));
            hm.call("statpool_forward", st.ordinal(), B, T, P, C, x, len, outK, S, amK);
            String what = st + " shape " + java.util.Arrays.toString(sh);
            Data.assertExact(outJ, outK, what + " out");
            assertArrayEquals(amJ, amK, what + " argmax");
            float[] dout = Data.gaussian(r, B * S, 1);
            float[] dxJ = Data.gaussian(r, x.length, 1), dxK = dxJ.clone();       // backward adds
            StatPool.backward(st, B, T, P, C, new CpuFloats(x), new CpuInts(len), new CpuFloats(outJ), S, new CpuInts(amJ),
                    new CpuFloats(dout), new CpuFloats(dxJ));
            hm.call("statpool_backward", st.ordinal(), B, T, P, C, x, len, outK, S, amK, dout, dxK);
            Data.assertExact(dxJ, dxK, what + " dx");
        }
    }

    @Test
    void maxPassesItsGradientToTheFirstPositionAttainingIt() {
        HostMath hm = HostMath.get();
        int B = 1, T = 4, P = 1, C = 1;
        float[] x = {0, 2, 5, 5, 1, 0};     // pad row, t=0..3 = 2 5 5 1, pad row
        int[] len = {4}, am = new int[1];
        float[] out = new float[1];
        hm.call("statpool_forward", Pooling.MAX.ordinal(), B, T, P, C, x, len, out, 1, am);
        assertArrayEquals(new int[]{1}, am);
        float[] dx = new float[x.length];
        hm.call("statpool_backward", Pooling.MAX.ordinal(), B, T, P, C, x, len, out, 1, am, new float[]{3f}, dx);
        assertArrayEquals(new float[]{0, 0, 3, 0, 0, 0}, dx);
    }

    @Test
    void emptyTextGivesZerosAndNoGradient() {
        HostMath hm = HostMath.get();
        int C = 3;
        float[] x = new float[4 * C], out = {9, 9, 9, 9, 9, 9, 9, 9, 9};
        int[] am = {7, 7, 7};
        hm.call("statpool_forward", Pooling.SPU.ordinal(), 1, 2, 1, C, x, new int[]{0}, out, 3 * C, am);
        assertArrayEquals(new float[9], out);
        assertArrayEquals(new int[]{-1, -1, -1}, am);
        float[] dx = new float[x.length];
        hm.call("statpool_backward", Pooling.SPU.ordinal(), 1, 2, 1, C, x, new int[]{0}, out, 3 * C, am, Data.gaussian(new SplittableRandom(1), 9, 1), dx);
        assertArrayEquals(new float[x.length], dx);
    }
}

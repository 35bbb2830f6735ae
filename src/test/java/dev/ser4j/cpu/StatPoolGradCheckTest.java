package dev.ser4j.cpu;

import dev.ser4j.core.Pooling;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.ser4j.cpu.GradCheck.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * statpool in its SPU and max-only modes (lengths 5, 1, 0 and 3), and in its SWEM mode, the [max | mean] pooling of
 * word embeddings, including an empty transcript.
 */
class StatPoolGradCheckTest {
    static final int B = 4, T = 5, P = 1, C = 3;
    static final int[] LEN = {5, 1, 0, 3};

    @Test
    void naiveBackwardMatchesFiniteDifferences() {
        for (Pooling st : new Pooling[]{Pooling.SPU, Pooling.MAX}) check(st, new SplittableRandom(3), B, T, P, C, LEN);
    }

    /** Random input without ties (continuous values), strided output. */
    static void check(Pooling st, SplittableRandom rng, int B, int T, int P, int C, int[] len) {
        double[] x = gaussian(rng, B * (T + 2 * P) * C);
        maskPadded(x, B, T, P, C, len);
        int stride = st.blocks() * C + 2;
        double[] r = gaussian(rng, B * stride);
        double[] out = new double[B * stride];
        int[] argmax = new int[B * C];
        StatPool.naiveForward(st, B, T, P, C, x, len, out, stride, argmax);
        double[] dx = new double[x.length];
        StatPool.naiveBackward(st, B, T, P, C, x, len, out, stride, argmax, r, dx);
        assertGradient(st + " dx", dx, numeric(x, () -> {
            double[] o = new double[B * stride];
            StatPool.naiveForward(st, B, T, P, C, x, len, o, stride, new int[B * C]);
            return dot(r, o);
        }));
    }

    @Test
    void fastPathMatchesNaiveTwin() {
        for (Pooling st : new Pooling[]{Pooling.SPU, Pooling.MAX}) compare(st, new SplittableRandom(4), B, T, P, C, LEN);
        compare(Pooling.SPU, new SplittableRandom(5), 3, 200, 5, 512, new int[]{200, 77, 1});
    }

    static void compare(Pooling st, SplittableRandom rng, int B, int T, int P, int C, int[] len) {
        double[] x = roundToFloat(gaussian(rng, B * (T + 2 * P) * C));
        maskPadded(x, B, T, P, C, len);
        int stride = st.blocks() * C + 2;
        double[] r = roundToFloat(gaussian(rng, B * stride));
        double[] out = new double[B * stride], dx = new double[x.length];
        int[] argmax = new int[B * C], argmaxF = new int[B * C];
        StatPool.naiveForward(st, B, T, P, C, x, len, out, stride, argmax);
        StatPool.naiveBackward(st, B, T, P, C, x, len, out, stride, argmax, r, dx);
        float[] outF = new float[B * stride], dxF = new float[x.length];
        StatPool.forward(st, B, T, P, C, new CpuFloats(toFloat(x)), new CpuInts(len), new CpuFloats(outF), stride,
                new CpuInts(argmaxF));
        StatPool.backward(st, B, T, P, C, new CpuFloats(toFloat(x)), new CpuInts(len), new CpuFloats(outF), stride,
                new CpuInts(argmaxF), new CpuFloats(toFloat(r)), new CpuFloats(dxF));
        assertClose(st + " out", outF, out, 1e-6);
        assertArrayEquals(argmax, argmaxF, st + " argmax");
        assertClose(st + " dx", dxF, dx, 1e-5);
    }

    @Test
    void swemNaiveBackwardMatchesFiniteDifferences() {
        check(Pooling.SWEM, new SplittableRandom(8), 3, 4, 2, 6, new int[]{4, 0, 1});
    }

    @Test
    void swemFastPathMatchesNaiveTwin() {
        compare(Pooling.SWEM, new SplittableRandom(9), 3, 4, 2, 6, new int[]{4, 0, 1});
        compare(Pooling.SWEM, new SplittableRandom(10), 4, 40, 2, 300, new int[]{40, 15, 0, 2});
    }

    @Test
    void emptySequencePoolsToZeroAndPassesNoGradient() {
        double[] x = new double[(1 + 2) * 2];
        double[] out = new double[6];
        int[] argmax = new int[2];
        StatPool.naiveForward(Pooling.SPU, 1, 1, 1, 2, x, new int[]{0}, out, 6, argmax);
        assertArrayEquals(new double[6], out);
        assertEquals(-1, argmax[0]);
        float[] outF = {9, 9, 9, 9, 9, 9}, dx = new float[6];
        int[] am = new int[2];
        StatPool.forward(Pooling.SPU, 1, 1, 1, 2, new CpuFloats(new float[6]), new CpuInts(new int[]{0}), new CpuFloats(outF),
                6, new CpuInts(am));
        assertArrayEquals(new float[6], outF);
        StatPool.backward(Pooling.SPU, 1, 1, 1, 2, new CpuFloats(new float[6]), new CpuInts(new int[]{0}), new CpuFloats(outF),
                6, new CpuInts(am), new CpuFloats(new float[]{1, 1, 1, 1, 1, 1}), new CpuFloats(dx));
        assertArrayEquals(new float[6], dx);
    }

    @Test
    void stdOfAConstantChannelIsTheSquareRootOfEpsilon() {
        double[] x = {2, 2, 2};
        double[] out = new double[3];
        StatPool.naiveForward(Pooling.SPU, 1, 3, 0, 1, x, new int[]{3}, out, 3, new int[1]);
        assertEquals(Math.sqrt(1e-6), out[2], 1e-15);
    }
}

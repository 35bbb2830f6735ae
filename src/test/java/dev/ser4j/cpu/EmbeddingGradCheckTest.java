package dev.ser4j.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.ser4j.cpu.GradCheck.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** embedding lookup into the padded layout; a token repeated across utterances; an empty transcript; PAD. */
class EmbeddingGradCheckTest {
    static final int V = 7, D = 3, B = 3, T = 4, P = 2;
    static final int[] LEN = {4, 0, 2};
    static final int[] TOKENS = {3, 1, 6, 3, 0, 0, 0, 0, 6, 2, 0, 0};

    @Test
    void naiveBackwardMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(100);
        double[] table = gaussian(rng, V * D), r = gaussian(rng, B * (T + 2 * P) * D), d = new double[V * D];
        Embedding.naiveBackward(B, T, P, D, TOKENS, LEN, r, d);
        assertGradient("dtable", d, numeric(table, () -> {
            double[] o = new double[B * (T + 2 * P) * D];
            Embedding.naiveForward(B, T, P, D, TOKENS, LEN, table, o);
            return dot(r, o);
        }));
    }

    @Test
    void fastPathMatchesNaiveTwin() {
        SplittableRandom rng = new SplittableRandom(101);
        double[] table = roundToFloat(gaussian(rng, V * D)), r = roundToFloat(gaussian(rng, B * (T + 2 * P) * D));
        double[] out = new double[r.length], d = new double[V * D];
        Embedding.naiveForward(B, T, P, D, TOKENS, LEN, table, out);
        Embedding.naiveBackward(B, T, P, D, TOKENS, LEN, r, d);
        float[] outF = new float[r.length], dF = new float[V * D];
        java.util.Arrays.fill(outF, 5f);                        // forward must zero the padding rows itself
        Embedding.forward(B, T, P, D, new CpuInts(TOKENS), new CpuInts(LEN), new CpuFloats(toFloat(table)),
                new CpuFloats(outF));
        Embedding.backward(B, T, P, D, new CpuInts(TOKENS), new CpuInts(LEN), new CpuFloats(toFloat(r)), new CpuFloats(dF));
        assertClose("out", outF, out, 0);
        assertClose("dtable", dF, d, 1e-6);
    }

    @Test
    void padRowReceivesNoGradient() {
        int[] tokens = {0, 4, 0, 0};                            // PAD inside a valid region, and past it
        float[] d = new float[V * D], dout = new float[(4 + 2 * P) * D];
        java.util.Arrays.fill(dout, 1f);
        Embedding.backward(1, 4, P, D, new CpuInts(tokens), new CpuInts(new int[]{3}), new CpuFloats(dout), new CpuFloats(d));
        assertArrayEquals(new float[D], java.util.Arrays.copyOf(d, D));
        assertArrayEquals(new float[]{1, 1, 1}, java.util.Arrays.copyOfRange(d, 4 * D, 5 * D));
    }
}

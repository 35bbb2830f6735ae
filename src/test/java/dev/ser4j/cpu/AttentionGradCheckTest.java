package dev.ser4j.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.ser4j.cpu.GradCheck.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * attention (bimodal, masked softmax over the valid text positions): gradients to the queries (audio pooling)
 * and to the keys/values (text convolution rows), with 3 queries (SPU) and 1 (max pooling), an empty
 * transcript and a one-word one.
 */
class AttentionGradCheckTest {
    static final int B = 4, T = 6, P = 2, C = 5;
    static final int[] LEN = {6, 1, 0, 3};

    @Test
    void naiveBackwardMatchesFiniteDifferences() {
        for (int G : new int[]{3, 1}) {
            SplittableRandom rng = new SplittableRandom(20 + G);
            int qStride = G * C + 1, outStride = G * C + 3;
            double[] q = gaussian(rng, B * qStride), keys = gaussian(rng, B * (T + 2 * P) * C), r = gaussian(rng, B * outStride);
            maskPadded(keys, B, T, P, C, LEN);
            double[] probs = new double[B * G * T], out = new double[B * outStride];
            Attention.naiveForward(B, G, T, P, C, q, qStride, keys, LEN, probs, out, outStride);
            double[] dq = new double[q.length], dk = new double[keys.length];
            Attention.naiveBackward(B, G, T, P, C, q, qStride, keys, LEN, probs, r, outStride, dq, dk);
            java.util.function.DoubleSupplier loss = () -> {
                double[] o = new double[B * outStride];
                Attention.naiveForward(B, G, T, P, C, q, qStride, keys, LEN, new double[B * G * T], o, outStride);
                return dot(r, o);
            };
            assertGradient("G=" + G + " dq", dq, numeric(q, loss));
            assertGradient("G=" + G + " dkeys", dk, numeric(keys, loss));
        }
    }

    @Test
    void fastPathMatchesNaiveTwin() {
        for (int G : new int[]{3, 1}) compare(G, B, T, P, C, LEN, 30 + G);
        compare(3, 3, 20, 2, 512, new int[]{20, 9, 0}, 40);
    }

    private static void compare(int G, int B, int T, int P, int C, int[] len, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double scale = 1 / Math.sqrt(C);                      // keeps the softmax away from one-hot at C = 512
        int qStride = G * C + 1, outStride = G * C + 3;
        double[] q = roundToFloat(uniform(rng, B * qStride, -scale, scale)), keys = roundToFloat(gaussian(rng, B * (T + 2 * P) * C));
        double[] r = roundToFloat(gaussian(rng, B * outStride));
        maskPadded(keys, B, T, P, C, len);
        double[] probs = new double[B * G * T], out = new double[B * outStride], dq = new double[q.length], dk = new double[keys.length];
        Attention.naiveForward(B, G, T, P, C, q, qStride, keys, len, probs, out, outStride);
        Attention.naiveBackward(B, G, T, P, C, q, qStride, keys, len, probs, r, outStride, dq, dk);
        float[] probsF = new float[probs.length], outF = new float[out.length], dqF = new float[q.length], dkF = new float[keys.length];
        Attention.forward(B, G, T, P, C, new CpuFloats(toFloat(q)), qStride, new CpuFloats(toFloat(keys)), new CpuInts(len),
                new CpuFloats(probsF), new CpuFloats(outF), outStride);
        Attention.backward(B, G, T, P, C, new CpuFloats(toFloat(q)), qStride, new CpuFloats(toFloat(keys)), new CpuInts(len),
                new CpuFloats(probsF), new CpuFloats(toFloat(r)), outStride, new CpuFloats(dqF), new CpuFloats(dkF));
        assertClose("G=" + G + " probs", probsF, probs, 1e-5);
        assertClose("G=" + G + " out", outF, out, 1e-5);
        assertClose("G=" + G + " dq", dqF, dq, 1e-5);
        assertClose("G=" + G + " dkeys", dkF, dk, 1e-5);
    }

    @Test
    void probabilitiesOverValidKeysSumToOne() {
        SplittableRandom rng = new SplittableRandom(50);
        double[] q = gaussian(rng, B * 3 * C), keys = gaussian(rng, B * (T + 2 * P) * C), probs = new double[B * 3 * T];
        maskPadded(keys, B, T, P, C, LEN);
        Attention.naiveForward(B, 3, T, P, C, q, 3 * C, keys, LEN, probs, new double[B * 3 * C], 3 * C);
        for (int b = 0; b < B; b++)
            for (int g = 0; g < 3; g++) {
                double sum = 0;
                for (int k = 0; k < T; k++) sum += probs[(b * 3 + g) * T + k];
                assertEquals(LEN[b] == 0 ? 0 : 1, sum, 1e-12, "utterance " + b + " query " + g);
            }
    }
}

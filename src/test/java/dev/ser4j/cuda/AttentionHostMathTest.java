package dev.ser4j.cuda;

import dev.ser4j.cpu.Attention;
import dev.ser4j.cpu.CpuFloats;
import dev.ser4j.cpu.CpuInts;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * kernels/attention.cu built for the host against cpu/Attention: the same float products summed in double and
 * the same double softmax; only exp may differ in its last bit (glibc vs Java), so 1e-6.
 */
class AttentionHostMathTest {
    private static final double TOL = 1e-6;

    @Test
    void forwardAndBackwardMatchTheJavaOp() {
        HostMath hm = HostMath.get();
        int[][] shapes = {{1, 1, 1, 0, 1}, {4, 3, 6, 2, 8}, {7, 3, 15, 2, 32}, {3, 1, 5, 1, 16}, {5, 2, 1, 2, 9}};
        int seed = 0;
        for (int[] sh : shapes) {
            SplittableRandom r = new SplittableRandom(++seed * 977);
            int B = sh[0], G = sh[1], T = sh[2], P = sh[3], C = sh[4], Sq = G * C + 3, So = G * C + 1;
            int[] len = Data.lengths(r, B, T, true);
            float[] q = Data.gaussian(r, B * Sq, 0.4), keys = Data.padded(r, B, T, P, C, len);
            float[] probsJ = Data.gaussian(r, B * G * T, 1), probsK = probsJ.clone();
            float[] outJ = Data.gaussian(r, B * So, 1), outK = outJ.clone();
            double[] scratch = new double[Math.max(1, B * G * T)];
            Attention.forward(B, G, T, P, C, new CpuFloats(q), Sq, new CpuFloats(keys), new CpuInts(len),
                    new CpuFloats(probsJ), new CpuFloats(outJ), So);
            hm.call("attention_scores", B, G, T, P, C, q, Sq, keys, len, scratch);
            hm.call("attention_softmax", B, G, T, len, scratch, probsK);
            hm.call("attention_weighted_sum", B, G, T, P, C, keys, len, probsK, outK, So);
            String what = "shape " + Arrays.toString(sh);
            Data.assertClose(probsJ, probsK, TOL, what + " probs");
            Data.assertClose(outJ, outK, TOL, what + " out");
            float[] dout = Data.gaussian(r, B * So, 1);
            float[] dqJ = Data.gaussian(r, B * Sq, 1), dqK = dqJ.clone();
            float[] dkJ = Data.gaussian(r, keys.length, 1), dkK = dkJ.clone();
            Attention.backward(B, G, T, P, C, new CpuFloats(q), Sq, new CpuFloats(keys), new CpuInts(len),
                    new CpuFloats(probsJ), new CpuFloats(dout), So, new CpuFloats(dqJ), new CpuFloats(dkJ));
            hm.call("attention_backward_scores", B, G, T, P, C, keys, len, dout, So, scratch);
            hm.call("attention_backward_softmax", B, G, T, len, probsK, scratch);
            hm.call("attention_backward_dq", B, G, T, P, C, keys, len, scratch, dqK, Sq);
            hm.call("attention_backward_dkeys", B, G, T, P, C, q, Sq, len, probsK, scratch, dout, So, dkK);
            Data.assertClose(dqJ, dqK, TOL, what + " dq");
            Data.assertClose(dkJ, dkK, TOL, what + " dkeys");
        }
    }

    @Test
    void emptyTranscriptAttendsToNothing() {
        HostMath hm = HostMath.get();
        int B = 1, G = 3, T = 4, P = 1, C = 2;
        float[] probs = new float[G * T], out = new float[G * C];
        Arrays.fill(probs, 5f);
        Arrays.fill(out, 5f);
        double[] s = new double[G * T];
        float[] keys = Data.gaussian(new SplittableRandom(3), (T + 2 * P) * C, 1), q = Data.gaussian(new SplittableRandom(4), G * C, 1);
        int[] len = {0};
        hm.call("attention_scores", B, G, T, P, C, q, G * C, keys, len, s);
        hm.call("attention_softmax", B, G, T, len, s, probs);
        hm.call("attention_weighted_sum", B, G, T, P, C, keys, len, probs, out, G * C);
        Data.assertExact(new float[G * T], probs, "probs");
        Data.assertExact(new float[G * C], out, "out");
    }
}

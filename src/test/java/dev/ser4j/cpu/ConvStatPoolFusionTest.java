package dev.ser4j.cpu;

import dev.ser4j.backend.ConvShape;
import dev.ser4j.core.Pooling;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.ser4j.cpu.GradCheck.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The fused convolution + pooling (forward in one pass over the output; backward from the pooled gradient) against
 * the two ops run one after the other, for SPU and max pooling, lengths including 1 and 0, on the direct path and on
 * the Winograd path (tiles of 6 outputs, so the rows of Y are tiled).
 */
class ConvStatPoolFusionTest {
    @Test
    void fusedMatchesConvolutionThenPooling() {
        for (ConvAlgorithm alg : new ConvAlgorithm[]{ConvAlgorithm.DIRECT, ConvAlgorithm.winograd(16)})
            fusedMatchesConvolutionThenPooling(alg);
    }

    private static void fusedMatchesConvolutionThenPooling(ConvAlgorithm alg) {
        for (Pooling st : new Pooling[]{Pooling.SPU, Pooling.MAX}) {
            ConvShape s = new ConvShape(12, 6, new int[]{5, 7, 9, 11});
            int B = 4, T = 23, P = s.pad(), C = s.cout(), stride = st.blocks() * C + 3;
            int[] len = {23, 1, 0, 14};
            SplittableRandom rng = new SplittableRandom(st.ordinal() + 7);
            float[] x = toFloat(gaussian(rng, B * (T + 2 * P) * s.cin()));
            double[] xd = toDouble(x);
            maskPadded(xd, B, T, P, s.cin(), len);
            x = toFloat(xd);
            float[][] w = new float[4][], b = new float[4][];
            for (int k = 0; k < 4; k++) {
                w[k] = toFloat(uniform(rng, (int) s.weightSize(k), -0.3, 0.3));
                b[k] = toFloat(uniform(rng, s.filters(), -0.2, 0.2));
            }
            float[] dpooled = toFloat(gaussian(rng, B * stride));
            // unfused
            float[] out1 = new float[B * (T + 2 * P) * C], pooled1 = new float[B * stride], dout = new float[out1.length];
            int[] am1 = new int[B * C];
            Conv.forward(s, B, T, new CpuFloats(x), new CpuInts(len), wrap(w), wrap(b), new CpuFloats(out1),
                    new Conv.Workspace(s, alg), -1);
            StatPool.forward(st, B, T, P, C, new CpuFloats(out1), new CpuInts(len), new CpuFloats(pooled1), stride,
                    new CpuInts(am1));
            StatPool.backward(st, B, T, P, C, new CpuFloats(out1), new CpuInts(len), new CpuFloats(pooled1), stride,
                    new CpuInts(am1), new CpuFloats(dpooled), new CpuFloats(dout));
            float[][] dw1 = grads(w), db1 = grads(b);
            Conv.backward(s, B, T, new CpuFloats(x), new CpuInts(len), wrap(w), new CpuFloats(out1), new CpuFloats(dout), null,
                    wrap(dw1), wrap(db1), new Conv.Workspace(s, alg), -1);
            // fused
            float[] out2 = new float[out1.length], pooled2 = new float[B * stride];
            int[] am2 = new int[B * C];
            Conv.Workspace ws = new Conv.Workspace(s, alg);
            Conv.forwardStatPool(s, st, B, T, new CpuFloats(x), new CpuInts(len), wrap(w), wrap(b), new CpuFloats(out2),
                    new CpuFloats(pooled2), stride, new CpuInts(am2), ws, -1);
            float[][] dw2 = grads(w), db2 = grads(b);
            Conv.backwardStatPool(s, st, B, T, new CpuFloats(x), new CpuInts(len), wrap(w), new CpuFloats(out2),
                    new CpuFloats(pooled2), stride, new CpuInts(am2), new CpuFloats(dpooled), null, wrap(dw2), wrap(db2),
                    ws, -1);

            assertArrayEquals(out1, out2, alg + " " + st + " out");
            assertArrayEquals(am1, am2, alg + " " + st + " argmax");
            assertClose(alg + " " + st + " pooled", pooled2, toDouble(pooled1), 1e-5);
            for (int k = 0; k < 4; k++) {
                assertClose(alg + " " + st + " dw" + k, dw2[k], toDouble(dw1[k]), 1e-4);
                assertClose(alg + " " + st + " db" + k, db2[k], toDouble(db1[k]), 1e-4);
            }
        }
    }

    private static float[][] grads(float[][] like) {
        float[][] g = new float[like.length][];
        for (int k = 0; k < like.length; k++) g[k] = new float[like[k].length];
        return g;
    }
}

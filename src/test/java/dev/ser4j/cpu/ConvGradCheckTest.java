package dev.ser4j.cpu;

import dev.ser4j.backend.ConvShape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.ser4j.cpu.GradCheck.*;

/**
 * conv1d (masked multi-scale "same" convolution + ReLU): the double twin against finite differences, the fast
 * float path (sgemm per offset) against the twin. The cases cover a length-1 utterance, an empty one (len 0),
 * sequences that fill the padded length so even kernels read past both ends, and the model's real sizes.
 */
class ConvGradCheckTest {
    record Case(String name, ConvShape s, int B, int T, int[] len) {}

    static final Case AUDIO_LIKE = new Case("odd kernels", new ConvShape(3, 2, new int[]{3, 5}), 3, 6, new int[]{6, 1, 4});
    static final Case TEXT_LIKE = new Case("even kernels", new ConvShape(4, 2, new int[]{2, 3, 4, 5}), 3, 5, new int[]{5, 0, 2});

    record Data(double[] x, double[][] w, double[][] b, double[] r) {}

    static Data data(Case c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ConvShape s = c.s;
        int rows = c.B * (c.T + 2 * s.pad());
        double[] x = roundToFloat(gaussian(rng, rows * s.cin()));
        maskPadded(x, c.B, c.T, s.pad(), s.cin(), c.len);
        double[][] w = new double[s.kernels().length][], b = new double[s.kernels().length][];
        for (int k = 0; k < w.length; k++) {
            w[k] = roundToFloat(uniform(rng, (int) s.weightSize(k), -0.5, 0.5));
            b[k] = roundToFloat(uniform(rng, s.filters(), -0.3, 0.3));
        }
        return new Data(x, w, b, gaussian(rng, rows * s.cout()));
    }

    @Test
    void naiveBackwardMatchesFiniteDifferences() {
        for (Case c : new Case[]{AUDIO_LIKE, TEXT_LIKE}) {
            Data d = data(c, 11);
            ConvShape s = c.s;
            int rows = c.B * (c.T + 2 * s.pad());
            double[] out = new double[rows * s.cout()];
            Conv.naiveForward(s, c.B, c.T, d.x, c.len, d.w, d.b, out);
            double[] dx = new double[d.x.length];
            double[][] dw = new double[d.w.length][], db = new double[d.b.length][];
            for (int k = 0; k < dw.length; k++) { dw[k] = new double[d.w[k].length]; db[k] = new double[d.b[k].length]; }
            Conv.naiveBackward(s, c.B, c.T, d.x, c.len, d.w, out, d.r, dx, dw, db);
            java.util.function.DoubleSupplier loss = () -> {
                double[] o = new double[rows * s.cout()];
                Conv.naiveForward(s, c.B, c.T, d.x, c.len, d.w, d.b, o);
                return dot(d.r, o);
            };
            assertGradient(c.name + " dx", dx, numeric(d.x, loss));
            for (int k = 0; k < dw.length; k++) {
                assertGradient(c.name + " dw" + k, dw[k], numeric(d.w[k], loss));
                assertGradient(c.name + " db" + k, db[k], numeric(d.b[k], loss));
            }
        }
    }

    @Test
    void fastPathMatchesNaiveTwin() {
        for (Case c : new Case[]{AUDIO_LIKE, TEXT_LIKE, new Case("model size", new ConvShape(96, 128, new int[]{5, 7, 9, 11}),
                2, 30, new int[]{30, 17})})
            compareFastToNaive(c, data(c, 5));
    }

    static void compareFastToNaive(Case c, Data d) {
        compareFastToNaive(c, d, ConvAlgorithm.DIRECT, 1e-5);
    }

    /** The float path of {@code algorithm} against the double twin: out, dx, dw and db within {@code tol} of each tensor's largest magnitude. */
    static void compareFastToNaive(Case c, Data d, ConvAlgorithm algorithm, double tol) {
        ConvShape s = c.s;
        int K = s.kernels().length, P = s.pad(), rows = c.B * (c.T + 2 * P);
        double[] out = new double[rows * s.cout()];
        Conv.naiveForward(s, c.B, c.T, d.x, c.len, d.w, d.b, out);
        float[][] wf = new float[K][], bf = new float[K][];
        for (int k = 0; k < K; k++) { wf[k] = toFloat(d.w[k]); bf[k] = toFloat(d.b[k]); }
        float[] outF = new float[rows * s.cout()];
        Conv.Workspace ws = new Conv.Workspace(s, algorithm);
        float[] xf = toFloat(d.x);
        Conv.forward(s, c.B, c.T, new CpuFloats(xf), new CpuInts(c.len), wrap(wf), wrap(bf), new CpuFloats(outF), ws, -1);
        String name = c.name + " (" + algorithm + ")";
        assertClose(name + " out", outF, out, tol);

        double[] dx = new double[d.x.length];
        double[][] dw = new double[K][], db = new double[K][];
        float[][] dwF = new float[K][], dbF = new float[K][];
        for (int k = 0; k < K; k++) {
            dw[k] = new double[d.w[k].length]; db[k] = new double[s.filters()];
            dwF[k] = new float[d.w[k].length]; dbF[k] = new float[s.filters()];
        }
        Conv.naiveBackward(s, c.B, c.T, d.x, c.len, d.w, out, d.r, dx, dw, db);
        float[] dxF = new float[d.x.length];
        Conv.backward(s, c.B, c.T, new CpuFloats(xf), new CpuInts(c.len), wrap(wf), new CpuFloats(outF),
                new CpuFloats(toFloat(d.r)), new CpuFloats(dxF), wrap(dwF), wrap(dbF), ws, -1);
        double[] dxFast = toDouble(dxF);
        maskPadded(dxFast, c.B, c.T, P, s.cin(), c.len);       // gradients of padding rows are not part of the op
        assertClose(name + " dx", toFloat(dxFast), dx, tol);
        for (int k = 0; k < K; k++) {
            assertClose(name + " dw" + k, dwF[k], dw[k], tol);
            assertClose(name + " db" + k, dbF[k], db[k], tol);
        }
    }

    @Test
    void evenKernelsPadOneMoreOnTheRight() {
        // kernel 2 reads x[t] and x[t+1]; kernel 4 reads x[t-1] .. x[t+2] (PyTorch's and TensorFlow's "same")
        ConvShape s = new ConvShape(1, 1, new int[]{2, 4});
        int P = s.pad(), T = 3;
        double[] x = new double[T + 2 * P];
        for (int t = 0; t < T; t++) x[P + t] = t + 1;                           // 1 2 3
        double[] out = new double[(T + 2 * P) * 2];
        Conv.naiveForward(s, 1, T, x, new int[]{T}, new double[][]{{10, 1}, {1000, 100, 10, 1}}, new double[][]{{0}, {0}}, out);
        double[] k2 = new double[T], k4 = new double[T];
        for (int t = 0; t < T; t++) { k2[t] = out[(P + t) * 2]; k4[t] = out[(P + t) * 2 + 1]; }
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[]{12, 23, 30}, k2);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[]{123, 1230, 2300}, k4);
    }
}

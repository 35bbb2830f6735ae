package dev.ser4j.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.ser4j.cpu.GradCheck.*;

/** linear ({@code x w^T + b}, PyTorch's weight layout). */
class LinearGradCheckTest {
    static final int N = 3, I = 5, O = 4;

    @Test
    void naiveBackwardMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(60);
        double[] x = gaussian(rng, N * I), w = gaussian(rng, O * I), b = gaussian(rng, O), r = gaussian(rng, N * O);
        double[] dx = new double[x.length], dw = new double[w.length], db = new double[b.length];
        Linear.naiveBackward(N, I, O, x, w, r, dx, dw, db);
        java.util.function.DoubleSupplier loss = () -> {
            double[] o = new double[N * O];
            Linear.naiveForward(N, I, O, x, w, b, o);
            return dot(r, o);
        };
        assertGradient("dx", dx, numeric(x, loss));
        assertGradient("dw", dw, numeric(w, loss));
        assertGradient("db", db, numeric(b, loss));
    }

    @Test
    void fastPathMatchesNaiveTwinAndAddsIntoGradients() {
        SplittableRandom rng = new SplittableRandom(61);
        int N = 64, I = 300, O = 256;
        double[] x = roundToFloat(gaussian(rng, N * I)), w = roundToFloat(gaussian(rng, O * I)), b = roundToFloat(gaussian(rng, O));
        double[] r = roundToFloat(gaussian(rng, N * O)), out = new double[N * O];
        Linear.naiveForward(N, I, O, x, w, b, out);
        // the gradients start non-zero: backward must add, not overwrite
        double[] dx = roundToFloat(gaussian(rng, N * I)), dw = roundToFloat(gaussian(rng, O * I)), db = roundToFloat(gaussian(rng, O));
        float[] dxF = toFloat(dx), dwF = toFloat(dw), dbF = toFloat(db), outF = new float[N * O];
        Linear.naiveBackward(N, I, O, x, w, r, dx, dw, db);
        Linear.forward(N, I, O, new CpuFloats(toFloat(x)), new CpuFloats(toFloat(w)), new CpuFloats(toFloat(b)),
                new CpuFloats(outF));
        Linear.backward(N, I, O, new CpuFloats(toFloat(x)), new CpuFloats(toFloat(w)), new CpuFloats(toFloat(r)),
                new CpuFloats(dxF), new CpuFloats(dwF), new CpuFloats(dbF));
        assertClose("out", outF, out, 1e-5);
        assertClose("dx", dxF, dx, 1e-5);
        assertClose("dw", dwF, dw, 1e-5);
        assertClose("db", dbF, db, 1e-5);
    }
}

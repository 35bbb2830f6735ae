package dev.ser4j.cuda;

import dev.ser4j.cpu.CpuFloats;
import dev.ser4j.cpu.Linear;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/** kernels/linear.cu: the bias rows that start the forward, and the deterministic column sum of the bias gradient. */
class LinearHostMathTest {
    @Test
    void biasRowsAndColumnSumMatchTheJavaOp() {
        HostMath hm = HostMath.get();
        SplittableRandom r = new SplittableRandom(21);
        for (int[] sh : new int[][]{{1, 3, 1}, {64, 40, 256}, {300, 7, 4}, {513, 5, 9}}) {
            int N = sh[0], I = sh[1], O = sh[2];
            float[] x = Data.gaussian(r, N * I, 1), w = Data.gaussian(r, O * I, 0.1), b = Data.gaussian(r, O, 1);
            float[] out = new float[N * O];
            hm.call("bias_rows", N, O, b, out);
            for (int n = 0; n < N; n++) Data.assertExact(b, java.util.Arrays.copyOfRange(out, n * O, n * O + O), "bias row " + n);
            float[] dout = Data.gaussian(r, N * O, 1), dbJ = Data.gaussian(r, O, 1), dbK = dbJ.clone();
            Linear.backward(N, I, O, new CpuFloats(x), new CpuFloats(w), new CpuFloats(dout), null,
                    new CpuFloats(new float[O * I]), new CpuFloats(dbJ));
            int chunks = (N + 255) / 256;
            double[] partial = new double[chunks * O];
            hm.call("colsum_partial", N, O, dout, O, partial);
            hm.call("colsum_finish", chunks, O, partial, dbK);
            Data.assertClose(dbJ, dbK, 1e-7, "db N=" + N);
        }
    }
}

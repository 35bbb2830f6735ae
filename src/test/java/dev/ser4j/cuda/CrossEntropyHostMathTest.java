package dev.ser4j.cuda;

import dev.ser4j.cpu.CpuFloats;
import dev.ser4j.cpu.CpuInts;
import dev.ser4j.cpu.CrossEntropy;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/** kernels/crossentropy.cu against cpu/CrossEntropy (double softmax; exp/log may differ in the last bit). */
class CrossEntropyHostMathTest {
    @Test
    void forwardAndBackwardMatchTheJavaOp() {
        HostMath hm = HostMath.get();
        SplittableRandom r = new SplittableRandom(11);
        for (int[] sh : new int[][]{{1, 4}, {64, 4}, {13, 7}, {5, 1}}) {
            int N = sh[0], E = sh[1];
            float[] logits = Data.gaussian(r, N * E, 4);
            logits[0] = 80f;        // large logits: the max shift must keep exp finite
            int[] labels = new int[N];
            for (int n = 0; n < N; n++) labels[n] = r.nextInt(E);
            float[] pJ = new float[N * E], pK = new float[N * E], lJ = new float[N], lK = new float[N];
            CrossEntropy.forward(N, E, new CpuFloats(logits), new CpuInts(labels), new CpuFloats(pJ), new CpuFloats(lJ));
            hm.call("crossentropy_forward", N, E, logits, labels, pK, lK);
            Data.assertClose(pJ, pK, 1e-6, "probs");
            Data.assertClose(lJ, lK, 1e-6, "losses");
            float[] pNull = new float[N * E];
            hm.call("crossentropy_forward", N, E, logits, labels, pNull, null);        // losses may be NULL
            Data.assertExact(pK, pNull, "probs without losses");
            float[] dJ = Data.gaussian(r, N * E, 1), dK = dJ.clone();
            CrossEntropy.backward(N, E, new CpuFloats(pJ), new CpuInts(labels), new CpuFloats(dJ));
            hm.call("crossentropy_backward", N, E, pJ, labels, dK);
            Data.assertExact(dJ, dK, "dlogits");
        }
    }
}

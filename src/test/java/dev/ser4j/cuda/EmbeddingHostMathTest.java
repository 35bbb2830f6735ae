package dev.ser4j.cuda;

import dev.ser4j.cpu.CpuFloats;
import dev.ser4j.cpu.CpuInts;
import dev.ser4j.cpu.Embedding;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/**
 * kernels/embedding.cu built for the host against cpu/Embedding. Backward must add the rows of each token in
 * position order starting from the existing dtable row, as the Java op does: bit-exact; PAD never gets any.
 */
class EmbeddingHostMathTest {
    @Test
    void forwardAndBackwardMatchTheJavaOpBitForBit() {
        HostMath hm = HostMath.get();
        int[][] shapes = {{1, 1, 0, 1, 2}, {4, 6, 2, 5, 3}, {8, 15, 2, 30, 11}, {3, 9, 1, 7, 100}, {16, 12, 2, 300, 6}};
        int seed = 0;
        for (int[] sh : shapes) {
            SplittableRandom r = new SplittableRandom(++seed * 31);
            int B = sh[0], T = sh[1], P = sh[2], D = sh[3], V = sh[4], W = T + 2 * P;
            int[] len = Data.lengths(r, B, T, true), tokens = new int[B * T];
            for (int i = 0; i < tokens.length; i++) tokens[i] = r.nextInt(V);     // PAD (0) included, repeats
            float[] table = Data.gaussian(r, V * D, 1);
            float[] outJ = Data.gaussian(r, B * W * D, 1), outK = outJ.clone();
            Embedding.forward(B, T, P, D, new CpuInts(tokens), new CpuInts(len), new CpuFloats(table), new CpuFloats(outJ));
            hm.call("embedding_forward", B, T, P, D, tokens, len, table, outK);
            Data.assertExact(outJ, outK, "out " + java.util.Arrays.toString(sh));
            float[] dout = Data.gaussian(r, B * W * D, 1);
            float[] dtJ = Data.gaussian(r, V * D, 1), dtK = dtJ.clone();
            Embedding.backward(B, T, P, D, new CpuInts(tokens), new CpuInts(len), new CpuFloats(dout), new CpuFloats(dtJ));
            hm.call("embedding_backward", B, T, P, D, tokens, len, dout, dtK);
            Data.assertExact(dtJ, dtK, "dtable " + java.util.Arrays.toString(sh));
        }
    }
}

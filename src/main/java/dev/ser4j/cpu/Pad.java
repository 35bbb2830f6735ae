package dev.ser4j.cpu;

import java.util.Arrays;

/**
 * pad: dense sequences {@code x [B, T, C]} into the padded layout {@code out [B, T+2P, C]} every sequence op
 * reads, keeping rows {@code t < len[b]} and zeroing the rest. Not differentiated (its input is data).
 */
public final class Pad {
    private Pad() {}

    public static void forward(int B, int T, int P, int C, float[] x, int xOff, int[] len, int lenOff, float[] out, int outOff) {
        int stride = T + 2 * P;
        Parallel.forEach(B, b -> {
            int n = Math.min(len[lenOff + b], T), o = outOff + b * stride * C;
            Arrays.fill(out, o, o + stride * C, 0f);
            System.arraycopy(x, xOff + b * T * C, out, o + P * C, n * C);
        });
    }
}

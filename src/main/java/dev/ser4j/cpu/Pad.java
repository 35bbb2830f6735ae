package dev.ser4j.cpu;

import java.util.Arrays;

/**
 * pad: dense sequences {@code x [B, T, C]} into the padded layout {@code out [B, T+2P, C]} every sequence op
 * reads, keeping rows {@code t < len[b]} and zeroing the rest. Not differentiated (its input is data).
 */
public final class Pad {
    private Pad() {}

    public static void forward(int B, int T, int P, int C, CpuFloats x, CpuInts len, CpuFloats out) {
        float[] xa = x.array(), outa = out.array();
        int[] lena = len.array();
        int xOff = x.offset(), lenOff = len.offset(), outOff = out.offset();
        int stride = T + 2 * P;
        Parallel.forEach(B, b -> {
            int n = Math.min(lena[lenOff + b], T), o = outOff + b * stride * C;
            Arrays.fill(outa, o, o + stride * C, 0f);
            System.arraycopy(xa, xOff + b * T * C, outa, o + P * C, n * C);
        });
    }
}

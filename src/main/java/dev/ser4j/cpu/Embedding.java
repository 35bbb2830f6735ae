package dev.ser4j.cpu;

import java.util.Arrays;

/**
 * embedding: {@code out[b, t] = table[tokens[b, t]]} for {@code t < len[b]}, zero on every other row of the
 * padded output [B, T+2P, D]; tokens [B, T]; table [V, D]. Backward adds each valid row's gradient into its
 * token's row of dtable, except the PAD row 0, which never receives gradient and so stays zero under Adam.
 */
public final class Embedding {
    private Embedding() {}

    public static final int PAD = 0;

    public static void forward(int B, int T, int P, int D, CpuInts tokens, CpuInts len, CpuFloats table, CpuFloats out) {
        int[] toka = tokens.array(), lena = len.array();
        float[] tablea = table.array(), outa = out.array();
        int tokOff = tokens.offset(), lenOff = len.offset(), tableOff = table.offset(), outOff = out.offset();
        int stride = T + 2 * P;
        Parallel.forEach(B, b -> {
            int n = lena[lenOff + b];
            int r0 = outOff + b * stride * D;
            Arrays.fill(outa, r0, r0 + stride * D, 0f);
            for (int t = 0; t < n; t++)
                System.arraycopy(tablea, tableOff + toka[tokOff + b * T + t] * D, outa, r0 + (P + t) * D, D);
        });
    }

    /** Sequential over utterances: two utterances may share a token row. */
    public static void backward(int B, int T, int P, int D, CpuInts tokens, CpuInts len, CpuFloats dout, CpuFloats dtable) {
        int[] toka = tokens.array(), lena = len.array();
        float[] douta = dout.array(), dta = dtable.array();
        int tokOff = tokens.offset(), lenOff = len.offset(), doutOff = dout.offset(), dtOff = dtable.offset();
        int stride = T + 2 * P;
        for (int b = 0; b < B; b++)
            for (int t = 0; t < lena[lenOff + b]; t++) {
                int tok = toka[tokOff + b * T + t];
                if (tok == PAD) continue;
                int src = doutOff + (b * stride + P + t) * D, dst = dtOff + tok * D;
                for (int d = 0; d < D; d++) dta[dst + d] += douta[src + d];
            }
    }

    public static void naiveForward(int B, int T, int P, int D, int[] tokens, int[] len, double[] table, double[] out) {
        int stride = T + 2 * P;
        Arrays.fill(out, 0, B * stride * D, 0);
        for (int b = 0; b < B; b++)
            for (int t = 0; t < len[b]; t++)
                for (int d = 0; d < D; d++) out[(b * stride + P + t) * D + d] = table[tokens[b * T + t] * D + d];
    }

    public static void naiveBackward(int B, int T, int P, int D, int[] tokens, int[] len, double[] dout, double[] dtable) {
        int stride = T + 2 * P;
        for (int b = 0; b < B; b++)
            for (int t = 0; t < len[b]; t++)
                if (tokens[b * T + t] != PAD)
                    for (int d = 0; d < D; d++) dtable[tokens[b * T + t] * D + d] += dout[(b * stride + P + t) * D + d];
    }
}

package dev.ser4j.cpu;

import dev.ser4j.backend.DropoutMask;

/**
 * dropout: inverted dropout, {@code out[i] = keep(i) ? x[i] / (1 - p) : 0}; backward {@code dx += keep(i) ? dout[i] / (1 - p) : 0}.
 * The mask is not stored: {@link DropoutMask#keep} recomputes it from the seed in backward (and on a GPU).
 */
public final class Dropout {
    private Dropout() {}

    public static void forward(int n, float p, long seed, CpuFloats x, CpuFloats out) {
        float[] xa = x.array(), outa = out.array();
        int xOff = x.offset(), outOff = out.offset();
        float scale = 1f / (1f - p);
        for (int i = 0; i < n; i++) outa[outOff + i] = DropoutMask.keep(seed, i, p) ? xa[xOff + i] * scale : 0f;
    }

    public static void backward(int n, float p, long seed, CpuFloats dout, CpuFloats dx) {
        float[] douta = dout.array(), dxa = dx.array();
        int doutOff = dout.offset(), dxOff = dx.offset();
        float scale = 1f / (1f - p);
        for (int i = 0; i < n; i++) if (DropoutMask.keep(seed, i, p)) dxa[dxOff + i] += douta[doutOff + i] * scale;
    }

    public static void naiveForward(int n, float p, long seed, double[] x, double[] out) {
        for (int i = 0; i < n; i++) out[i] = DropoutMask.keep(seed, i, p) ? x[i] / (1.0 - p) : 0;
    }

    public static void naiveBackward(int n, float p, long seed, double[] dout, double[] dx) {
        for (int i = 0; i < n; i++) if (DropoutMask.keep(seed, i, p)) dx[i] += dout[i] / (1.0 - p);
    }
}

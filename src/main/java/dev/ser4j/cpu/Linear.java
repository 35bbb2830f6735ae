package dev.ser4j.cpu;

/**
 * linear: {@code out[n, o] = sum_i x[n, i] w[o, i] + b[o]}; x [N, I], w [O, I] (PyTorch's layout), b [O], out [N, O].
 * Backward: {@code dx += dout . w}, {@code dw += dout^T . x}, {@code db += sum_n dout}. Caches nothing.
 */
public final class Linear {
    private Linear() {}

    public static void forward(int N, int I, int O, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                               float[] out, int outOff) {
        for (int n = 0; n < N; n++) System.arraycopy(b, bOff, out, outOff + n * O, O);
        Sgemm.sgemm(false, true, N, O, I, 1f, x, xOff, I, w, wOff, I, 1f, out, outOff, O);
    }

    public static void backward(int N, int I, int O, float[] x, int xOff, float[] w, int wOff, float[] dout, int doutOff,
                                float[] dx, int dxOff, float[] dw, int dwOff, float[] db, int dbOff) {
        if (dx != null) Sgemm.sgemm(false, false, N, I, O, 1f, dout, doutOff, O, w, wOff, I, 1f, dx, dxOff, I);
        Sgemm.sgemm(true, false, O, I, N, 1f, dout, doutOff, O, x, xOff, I, 1f, dw, dwOff, I);
        for (int o = 0; o < O; o++) {
            double s = 0;
            for (int n = 0; n < N; n++) s += dout[doutOff + n * O + o];
            db[dbOff + o] += (float) s;
        }
    }

    public static void naiveForward(int N, int I, int O, double[] x, double[] w, double[] b, double[] out) {
        for (int n = 0; n < N; n++)
            for (int o = 0; o < O; o++) {
                double s = b[o];
                for (int i = 0; i < I; i++) s += x[n * I + i] * w[o * I + i];
                out[n * O + o] = s;
            }
    }

    public static void naiveBackward(int N, int I, int O, double[] x, double[] w, double[] dout,
                                     double[] dx, double[] dw, double[] db) {
        for (int n = 0; n < N; n++)
            for (int o = 0; o < O; o++) {
                double g = dout[n * O + o];
                db[o] += g;
                for (int i = 0; i < I; i++) {
                    dw[o * I + i] += g * x[n * I + i];
                    if (dx != null) dx[n * I + i] += g * w[o * I + i];
                }
            }
    }
}

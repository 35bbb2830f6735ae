package dev.ser4j.cpu;

/**
 * linear: {@code out[n, o] = sum_i x[n, i] w[o, i] + b[o]}; x [N, I], w [O, I] (PyTorch's layout), b [O], out [N, O].
 * Backward: {@code dx += dout . w}, {@code dw += dout^T . x}, {@code db += sum_n dout}. Caches nothing.
 */
public final class Linear {
    private Linear() {}

    public static void forward(int N, int I, int O, CpuFloats x, CpuFloats w, CpuFloats b, CpuFloats out) {
        float[] xa = x.array(), wa = w.array(), ba = b.array(), outa = out.array();
        int xOff = x.offset(), wOff = w.offset(), bOff = b.offset(), outOff = out.offset();
        for (int n = 0; n < N; n++) System.arraycopy(ba, bOff, outa, outOff + n * O, O);
        Sgemm.sgemm(false, true, N, O, I, 1f, xa, xOff, I, wa, wOff, I, 1f, outa, outOff, O);
    }

    /** Adds into dx (unless null), dw and db. */
    public static void backward(int N, int I, int O, CpuFloats x, CpuFloats w, CpuFloats dout,
                                CpuFloats dx, CpuFloats dw, CpuFloats db) {
        float[] xa = x.array(), wa = w.array(), douta = dout.array(), dwa = dw.array(), dba = db.array();
        int xOff = x.offset(), wOff = w.offset(), doutOff = dout.offset(), dwOff = dw.offset(), dbOff = db.offset();
        if (dx != null) Sgemm.sgemm(false, false, N, I, O, 1f, douta, doutOff, O, wa, wOff, I, 1f, dx.array(), dx.offset(), I);
        Sgemm.sgemm(true, false, O, I, N, 1f, douta, doutOff, O, xa, xOff, I, 1f, dwa, dwOff, I);
        for (int o = 0; o < O; o++) {
            double s = 0;
            for (int n = 0; n < N; n++) s += douta[doutOff + n * O + o];
            dba[dbOff + o] += (float) s;
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

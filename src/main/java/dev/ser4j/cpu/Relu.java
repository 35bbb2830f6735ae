package dev.ser4j.cpu;

/**
 * relu: {@code out = max(0, x)}; backward {@code dx += dout * (out > 0)} (the gradient at 0 is 0, as PyTorch's).
 * Forward may run in place (x == out).
 */
public final class Relu {
    private Relu() {}

    public static void forward(int n, CpuFloats x, CpuFloats out) {
        float[] xa = x.array(), outa = out.array();
        int xOff = x.offset(), outOff = out.offset();
        for (int i = 0; i < n; i++) outa[outOff + i] = Math.max(0f, xa[xOff + i]);
    }

    public static void backward(int n, CpuFloats out, CpuFloats dout, CpuFloats dx) {
        float[] outa = out.array(), douta = dout.array(), dxa = dx.array();
        int outOff = out.offset(), doutOff = dout.offset(), dxOff = dx.offset();
        for (int i = 0; i < n; i++) if (outa[outOff + i] > 0f) dxa[dxOff + i] += douta[doutOff + i];
    }

    public static void naiveForward(int n, double[] x, double[] out) {
        for (int i = 0; i < n; i++) out[i] = Math.max(0, x[i]);
    }

    public static void naiveBackward(int n, double[] out, double[] dout, double[] dx) {
        for (int i = 0; i < n; i++) if (out[i] > 0) dx[i] += dout[i];
    }
}

package dev.ser4j.cpu;

/**
 * relu: {@code out = max(0, x)}; backward {@code dx += dout * (out > 0)} (the gradient at 0 is 0, as PyTorch's).
 * Forward may run in place (x == out).
 */
public final class Relu {
    private Relu() {}

    public static void forward(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) out[outOff + i] = Math.max(0f, x[xOff + i]);
    }

    public static void backward(int n, float[] out, int outOff, float[] dout, int doutOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) if (out[outOff + i] > 0f) dx[dxOff + i] += dout[doutOff + i];
    }

    public static void naiveForward(int n, double[] x, double[] out) {
        for (int i = 0; i < n; i++) out[i] = Math.max(0, x[i]);
    }

    public static void naiveBackward(int n, double[] out, double[] dout, double[] dx) {
        for (int i = 0; i < n; i++) if (out[i] > 0) dx[i] += dout[i];
    }
}

package dev.ser4j.nn;

/**
 * dropout: inverted dropout, {@code out[i] = keep(i) ? x[i] / (1 - p) : 0}; backward {@code dx += keep(i) ? dout[i] / (1 - p) : 0}.
 * The mask is not stored: {@link #keep} is a counter-based generator (SplitMix64 of the seed and the index), so
 * backward, and a GPU kernel, recompute exactly the same mask from the same seed.
 */
public final class Dropout {
    private Dropout() {}

    /** Element i is kept iff a uniform draw in [0, 1), 24 bits of SplitMix64(seed, i), is at least p. */
    public static boolean keep(long seed, long i, float p) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f >= p;
    }

    /** A per-(step, layer) seed derived from the run's seed, so every dropout layer of every step differs. */
    public static long seed(long runSeed, long step, int layer) {
        long z = runSeed * 0x9E3779B97F4A7C15L + step * 0xD1B54A32D192ED03L + layer * 0x8CB92BA72F3D8DD7L;
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        return z ^ (z >>> 33);
    }

    public static void forward(int n, float p, long seed, float[] x, int xOff, float[] out, int outOff) {
        float scale = 1f / (1f - p);
        for (int i = 0; i < n; i++) out[outOff + i] = keep(seed, i, p) ? x[xOff + i] * scale : 0f;
    }

    public static void backward(int n, float p, long seed, float[] dout, int doutOff, float[] dx, int dxOff) {
        float scale = 1f / (1f - p);
        for (int i = 0; i < n; i++) if (keep(seed, i, p)) dx[dxOff + i] += dout[doutOff + i] * scale;
    }

    public static void naiveForward(int n, float p, long seed, double[] x, double[] out) {
        for (int i = 0; i < n; i++) out[i] = keep(seed, i, p) ? x[i] / (1.0 - p) : 0;
    }

    public static void naiveBackward(int n, float p, long seed, double[] dout, double[] dx) {
        for (int i = 0; i < n; i++) if (keep(seed, i, p)) dx[i] += dout[i] / (1.0 - p);
    }
}

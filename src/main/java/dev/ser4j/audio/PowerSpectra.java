package dev.ser4j.audio;

/**
 * The power spectra of 400-sample frames every 160 samples, a batch of frames at a time; {@link Fft400} computes
 * them with scalar code, {@link VectorFft400} with the Vector API. Both read the signal transposed by hop,
 * {@code cols[c][r] = s[160 r + c]}, and write {@code p[k][t] = |X_t[k]|^2}, k = 0..200.
 */
sealed interface PowerSpectra permits Fft400, VectorFft400 {
    /**
     * {@code p[k][t]} for frames t0 &lt;= t &lt; t1, at most {@link Fft400#LANES} of them; reads {@code cols[c][t0 .. t1 + 2)}
     * (a vector implementation may compute, and read, up to a whole vector beyond t1: see {@link #slack}).
     */
    void power(double[][] cols, int t0, int t1, double[][] p);

    /** Frames beyond t1 that {@link #power} may read and write: the rows of cols and p need this many more. */
    int slack();
}

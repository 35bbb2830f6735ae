package dev.ser4j.audio;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Resampler}'s integer decimation on vectors of consecutive outputs (jdk.incubator.vector): four vectors of
 * outputs accumulate in registers over every phase and tap, one broadcast tap and four unaligned loads per four fused
 * multiply-adds, where the scalar path has to copy the shifted inputs out first (C2 does not vectorise a loop that
 * stores to one array and loads another at an offset). Each output is, phase by phase, a chain of fused multiply-adds
 * over the phase's taps, the phases' sums added in order (shorter chains than one over all taps: within 1e-6 of the
 * double sums, as the scalar path), on every machine and whatever its vector width, so the result does not depend on
 * the lanes; the last outputs take the same chains through {@link Math#fma}. Load only where {@link Mfcc#VECTOR} says
 * the API is there.
 */
final class VectorDecimation {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorDecimation() {}

    /**
     * {@code y[j] = sum_p sum_k h[p][k] xp[p][j + k]}, for every j of y; each xp[p] holds at least
     * {@code y.length + h[p].length - 1} values.
     */
    static void filter(float[][] xp, float[][] h, float[] y) {
        int v = S.length(), w = 4 * v, phases = xp.length;
        int j = 0;
        for (; j + w <= y.length; j += w) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int p = 0; p < phases; p++) {
                float[] hp = h[p], xs = xp[p];
                FloatVector b0 = FloatVector.zero(S), b1 = b0, b2 = b0, b3 = b0;
                for (int k = 0; k < hp.length; k++) {
                    FloatVector tap = FloatVector.broadcast(S, hp[k]);
                    int at = j + k;
                    b0 = FloatVector.fromArray(S, xs, at).fma(tap, b0);
                    b1 = FloatVector.fromArray(S, xs, at + v).fma(tap, b1);
                    b2 = FloatVector.fromArray(S, xs, at + 2 * v).fma(tap, b2);
                    b3 = FloatVector.fromArray(S, xs, at + 3 * v).fma(tap, b3);
                }
                a0 = a0.add(b0);
                a1 = a1.add(b1);
                a2 = a2.add(b2);
                a3 = a3.add(b3);
            }
            a0.intoArray(y, j);
            a1.intoArray(y, j + v);
            a2.intoArray(y, j + 2 * v);
            a3.intoArray(y, j + 3 * v);
        }
        for (; j < y.length; j++) {
            float s = 0;
            for (int p = 0; p < phases; p++) {
                float sp = 0;
                for (int k = 0; k < h[p].length; k++) sp = Math.fma(xp[p][j + k], h[p][k], sp);
                s += sp;
            }
            y[j] = s;
        }
    }
}

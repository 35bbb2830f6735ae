package dev.ser4j.audio;

import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The MFCC's Vector API path against its scalar path (which MfccTest and MfccGoldenTest hold to the naive twin and to
 * librosa): the FFT bit for bit, the logarithm to 1e-12 dB (and two ulps of huge values), the features to the float rounding of the output.
 * The test JVM has jdk.incubator.vector (pom.xml), so {@code new Mfcc()} in the other tests is the vector path.
 */
class VectorMfccTest {

    @Test
    void theTestsRunTheVectorPath() {
        assumeTrue(DoubleVector.SPECIES_PREFERRED.length() >= 2, "this CPU has no vectors of two doubles");
        assertTrue(Mfcc.VECTOR, "the test JVM has jdk.incubator.vector, so the MFCC must use it");
    }

    /**
     * Equal up to the float rounding of double-precision differences far below it: two units in the last place, plus
     * 1e-9 for values that are zero but for rounding (the deltas of a constant stretch: about 1e-13 on either path).
     */
    static void assertSameFeatures(float[] scalar, float[] vector, String what) {
        assertEquals(scalar.length, vector.length, what + ": length");
        for (int i = 0; i < scalar.length; i++)
            if (!(Math.abs(scalar[i] - vector[i]) <= 1e-9 + 2 * Math.ulp(scalar[i])))
                throw new AssertionError(what + ": element " + i + ": scalar " + scalar[i] + " vs vector " + vector[i]);
    }

    @ParameterizedTest
    @ValueSource(ints = {1280, 1281, 1439, 1440, 4000, 8159, 72_000, 81_919, 81_920, 100_003})
    void featuresEqualTheScalarPath(int n) {
        assumeTrue(Mfcc.VECTOR, "no Vector API in this JVM");
        float[] x = MfccTest.steppedNoise(n, 7L * n);
        assertSameFeatures(new Mfcc(false).features("x", x), new Mfcc(true).features("x", x), n + " samples");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 159, 160, 399, 401, 1279})
    void coefficientsOfShortInputEqualTheScalarPath(int n) {
        assumeTrue(Mfcc.VECTOR, "no Vector API in this JVM");
        float[] x = MfccTest.steppedNoise(n, 13L * n);
        assertSameFeatures(new Mfcc(false).coefficients("x", x), new Mfcc(true).coefficients("x", x), n + " samples");
    }

    @Test
    void oneVectorExtractorThroughLongShortAndLongAgain() {
        assumeTrue(Mfcc.VECTOR, "no Vector API in this JVM");
        Mfcc m = new Mfcc(true);
        float[] longer = MfccTest.steppedNoise(90_000, 1), shorter = MfccTest.steppedNoise(1500, 2);
        float[] first = m.features("long", longer);
        assertSameFeatures(new Mfcc(false).features("short", shorter), m.features("short", shorter), "short after long");
        assertArrayEquals(first, m.features("long", longer), "long again: no state kept between utterances");
    }

    @Test
    void vectorFftEqualsTheScalarFftBitForBit() {
        assumeTrue(Mfcc.VECTOR, "no Vector API in this JVM");
        int frames = 3 * Fft400.LANES + 5;                                // full batches and a partial one
        SplittableRandom r = new SplittableRandom(3);
        VectorFft400 vector = new VectorFft400(windowOf(r), frames);
        double[] window = windowOf(new SplittableRandom(3));
        Fft400 scalar = new Fft400(window, frames);
        double[][] cols = new double[Fft400.HOP][frames + 2 + vector.slack()];
        for (double[] col : cols) for (int i = 0; i < col.length; i++) col[i] = r.nextGaussian() * Math.pow(10, r.nextInt(-3, 2));
        double[][] p = new double[Fft400.BINS][frames], q = new double[Fft400.BINS][frames + vector.slack()];
        for (int t0 = 0; t0 < frames; t0 += Fft400.LANES) {
            int t1 = Math.min(frames, t0 + Fft400.LANES);
            scalar.power(cols, t0, t1, p);
            vector.power(cols, t0, t1, q);
        }
        for (int k = 0; k < Fft400.BINS; k++)
            for (int t = 0; t < frames; t++)
                assertEquals(p[k][t], q[k][t], 0.0, "bin " + k + " frame " + t);
    }

    private static double[] windowOf(SplittableRandom r) {
        double[] w = new double[Fft400.N];
        for (int i = 0; i < w.length; i++) w[i] = r.nextDouble(0.1, 1);
        return w;
    }

    @Test
    void vectorDecibelsAgreeWithLog10() {
        assumeTrue(Mfcc.VECTOR, "no Vector API in this JVM");
        SplittableRandom r = new SplittableRandom(9);
        int n = 100_003;                                                  // not a whole number of vectors: the tail too
        double[] v = new double[n], out = new double[n + 1];
        for (int i = 0; i < n; i++) v[i] = Math.exp(r.nextDouble(Math.log(1e-12), Math.log(1e12)));
        double[] edges = {1e-10, 1e-11, 0, 1, 2, 0.5, Math.sqrt(2), Math.nextDown(Math.sqrt(2)), Math.nextUp(Math.sqrt(2)),
                Math.sqrt(0.5), Math.nextUp(1.0), Math.nextDown(1.0), 1e12, 1e300, Double.MAX_VALUE};
        System.arraycopy(edges, 0, v, 0, edges.length);
        VectorMfcc.decibels(v, 0, out, 1, n, Mfcc.AMIN);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double expected = 10 * Math.log10(Math.max(Mfcc.AMIN, v[i]));
            double err = Math.abs(out[1 + i] - expected);
            worst = Math.max(worst, err);
            assertTrue(err <= 1e-12 + 2 * Math.ulp(expected), "v = " + v[i] + ": " + out[1 + i] + " dB vs " + expected);
        }
        assertEquals(0.0, out[0], "nothing written before the offset");
        System.out.printf("VectorMfccTest: max |vector dB - 10 log10| = %.3g%n", worst);
    }
}

package dev.ser4j.audio;

import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast MFCC against its naive twin, and the edges of its contract. */
class MfccTest {

    /** Noise whose level jumps every 0.1 s over 100 dB, so the top_db floor clips some frames and not others. */
    static float[] steppedNoise(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double level = Math.pow(10, -5 * ((i / 1600) % 3) / 2.0);
            x[i] = (float) (0.3 * level * r.nextGaussian());
        }
        return x;
    }

    static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double bound = 1e-9 + 1e-6 * Math.abs(expected[i]);               // float rounding of the output
            if (!(Math.abs(actual[i] - expected[i]) <= bound))
                throw new AssertionError(what + ": element " + i + ": fast " + actual[i] + " vs naive " + expected[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1280, 1281, 1439, 1440, 4000, 8159})
    void featuresMatchTheNaiveTwin(int n) {
        float[] x = steppedNoise(n, n);
        assertClose(Mfcc.naive(x, true), new Mfcc().features("x", x), n + " samples");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 159, 160, 199, 200, 201, 399, 400, 401, 1279})
    void coefficientsMatchTheNaiveTwinForShortInput(int n) {
        float[] x = steppedNoise(n, 31 * n);
        assertClose(Mfcc.naive(x, false), new Mfcc().coefficients("x", x), n + " samples");
    }

    @Test
    void frameCountIsOnePlusSamplesOverHop() {
        assertEquals(1, Mfcc.frames(1));
        assertEquals(1, Mfcc.frames(159));
        assertEquals(2, Mfcc.frames(160));
        assertEquals(451, Mfcc.frames(72_000));
        assertEquals(9, Mfcc.frames(Mfcc.MIN_SAMPLES));
    }

    @Test
    void fastDecibelsAgreeWithLog10() {
        double worst = 0;
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            double v = Math.exp(r.nextDouble(Math.log(1e-10), Math.log(1e12)));
            worst = Math.max(worst, Math.abs(Mfcc.decibels(v) - 10 * Math.log10(v)));
        }
        for (double v : new double[]{1e-10, 1, 2, Math.nextDown(2.0), Math.nextUp(1.0), 1e12}) {
            worst = Math.max(worst, Math.abs(Mfcc.decibels(v) - 10 * Math.log10(v)));
        }
        assertTrue(worst < 1e-12, "max |decibels - 10 log10| = " + worst);
    }

    @Test
    void nonFiniteSamplesAreInputErrors() {
        for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] x = steppedNoise(4000, 1);
            x[2500] = bad;
            InputException e = assertThrows(InputException.class, () -> new Mfcc().features("u1", x));
            assertEquals("u1: holds a sample that is not a finite number", e.getMessage());
        }
    }

    @Test
    void emptyInputIsAnInputError() {
        InputException e = assertThrows(InputException.class, () -> new Mfcc().coefficients("empty.wav", new float[0]));
        assertEquals("empty.wav: has no samples", e.getMessage());
    }

    @Test
    void truncateKeepsTheFirstFrames() {
        float[] f = new float[10 * 96];
        for (int i = 0; i < f.length; i++) f[i] = i;
        float[] cut = Mfcc.truncate(f, 96, 4);
        assertEquals(4 * 96, cut.length);
        assertEquals(4 * 96 - 1, cut[cut.length - 1]);
        assertSame(f, Mfcc.truncate(f, 96, 10), "nothing to cut: the same array");
        assertThrows(IllegalArgumentException.class, () -> Mfcc.truncate(new float[95], 96, 4));
    }

    @Test
    void silenceGivesTheFloorEverywhere() {
        float[] f = new Mfcc().features("zeros", new float[3200]);
        for (int t = 0; t < f.length / 96; t++) {
            assertEquals(-100 * Math.sqrt(128), f[t * 96], 1e-3);
            for (int k = 1; k < 96; k++) assertEquals(0, f[t * 96 + k], 1e-9);
        }
        assertArrayEquals(f, new Mfcc().features("zeros", new float[3200]));
    }
}

package dev.ser4j.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The polyphase resampler against its naive twin, and its frequency response measured on tones. */
class ResamplerTest {
    static final double AMPLITUDE = 0.5;

    static float[] tone(double hz, int rate, double seconds) {
        float[] x = new float[(int) (rate * seconds)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (AMPLITUDE * Math.sin(2 * Math.PI * hz * i / rate));
        return x;
    }

    /** Amplitude of the least-squares sinusoid at {@code hz} in y's steady state (edges of one filter length cut). */
    static double fittedAmplitude(float[] y, double hz, int rate, int edge) {
        double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
        for (int i = edge; i < y.length - edge; i++) {
            double s = Math.sin(2 * Math.PI * hz * i / rate), c = Math.cos(2 * Math.PI * hz * i / rate);
            ss += s * s; cc += c * c; sc += s * c; ys += y[i] * s; yc += y[i] * c;
        }
        double det = ss * cc - sc * sc;
        double a = (ys * cc - yc * sc) / det, b = (yc * ss - ys * sc) / det;
        return Math.hypot(a, b);
    }

    /** Output RMS over the steady state, in dB relative to the input tone's RMS. */
    static double levelDb(float[] y, int edge) {
        double sum = 0;
        for (int i = edge; i < y.length - edge; i++) sum += (double) y[i] * y[i];
        double rms = Math.sqrt(sum / (y.length - 2 * edge));
        return 20 * Math.log10(rms / (AMPLITUDE / Math.sqrt(2)));
    }

    static double gainDb(Resampler r, double hz) {
        float[] y = r.process(tone(hz, r.inRate(), 0.5));
        return 20 * Math.log10(fittedAmplitude(y, hz, r.outRate(), r.taps()) / AMPLITUDE);
    }

    @ParameterizedTest
    @CsvSource({"22050,16000", "44100,16000", "48000,16000", "11025,16000", "8000,16000", "16000,22050", "16000,16001"})
    void processMatchesTheNaiveTwin(int in, int out) {
        SplittableRandom rnd = new SplittableRandom(in + out);
        float[] x = new float[700];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian(0, 0.3);
        float[] fast = Resampler.of(in, out).process(x);
        double[] naive = Resampler.naive(x, in, out);
        assertEquals(naive.length, fast.length);
        for (int j = 0; j < naive.length; j++)
            assertEquals(naive[j], fast[j], 1e-6, in + " -> " + out + " output " + j);
    }

    /**
     * The Vector API path sums each output in the same order whichever lane or tail computes it: the input shifted by
     * k outputs' worth of samples (k not a multiple of the vector block) gives the same outputs, bit for bit, shifted
     * by k, away from the start, where the shift changes the zero padding.
     */
    @Test
    void vectorDecimationDoesNotDependOnTheLanes() {
        assumeTrue(Mfcc.VECTOR, "no Vector API here");
        Resampler r = Resampler.withVector(48000, 16000, true);
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = new float[10_000];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble(-1, 1);
        float[] y = r.process(x);
        for (int k : new int[]{1, 3, 5, 13}) {
            float[] ys = r.process(java.util.Arrays.copyOfRange(x, 3 * k, x.length));
            for (int j = r.taps() / 3 + 1; j < ys.length; j++) assertEquals(y[j + k], ys[j], "shift " + k + ", output " + j);
        }
    }

    /**
     * The table path groups outputs by phase ({@code byPhase}); the per-sample path computes each output's coefficients
     * and its dot product alone. They add the same products in the same order, so they agree bit for bit, for rates up
     * and down, lengths from shorter than the filter to several blocks of outputs.
     */
    @ParameterizedTest
    @CsvSource({"22050,16000", "44100,16000", "11025,16000", "8000,16000", "24000,16000", "16000,22050", "16000,44100"})
    void outputsByPhaseEqualThePerSamplePath(int in, int out) {
        Resampler table = Resampler.of(in, out), perSample = Resampler.withTableLimit(in, out, 0);
        SplittableRandom rnd = new SplittableRandom(in * 31L + out);
        for (int n : new int[]{1, 2, 5, table.taps() - 1, table.taps() + 3, 1000, 30_011}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float) rnd.nextDouble(-1, 1);
            assertArrayEquals(perSample.process(x), table.process(x), in + " -> " + out + " Hz, " + n + " samples");
        }
        float[] x = tone(1234, in, 0.2);
        assertArrayEquals(perSample.process(x), table.process(x), in + " -> " + out + " Hz, a tone");
    }

    /**
     * Integer decimation (48, 32, 96 kHz to 16 kHz) runs the float polyphase path ({@code decimate}); the general path
     * (coefficients per output sample, double dot products: the same numbers as the table, see above) is its
     * reference. Full-scale uniform noise (outputs up to ~1.1), lengths from shorter than the filter to several blocks
     * of outputs; the float sums, scalar and on the Vector API, stay within 1e-6 (8 float ulps at 1.0) of the double ones.
     */
    @ParameterizedTest
    @CsvSource({"48000, false", "32000, false", "96000, false", "48000, true", "32000, true", "96000, true"})
    void integerDecimationMatchesTheGeneralPath(int in, boolean vector) {
        assumeTrue(!vector || Mfcc.VECTOR, "no Vector API here");
        Resampler fast = Resampler.withVector(in, 16000, vector), general = Resampler.withTableLimit(in, 16000, 0);
        SplittableRandom rnd = new SplittableRandom(in);
        double worst = 0;
        for (int n : new int[]{1, 2, 7, fast.taps() - 1, fast.taps() + 3, 1000, 4097, 24_001}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float) rnd.nextDouble(-1, 1);
            float[] a = fast.process(x), b = general.process(x);
            assertEquals(b.length, a.length, in + " Hz, " + n + " samples: length");
            for (int j = 0; j < a.length; j++) {
                worst = Math.max(worst, Math.abs(a[j] - b[j]));
                assertEquals(b[j], a[j], 1e-6, in + " Hz, " + n + " samples, output " + j);
            }
        }
        System.out.printf(java.util.Locale.ROOT, "decimation %d -> 16000 Hz, float path (%s) vs double path, full-scale noise: max |diff| %.2e%n", in,
                vector ? "Vector API" : "scalar", worst);
        assertTrue(worst > 0, "the two paths gave identical bits: the fast path was not taken");
    }

    @Test
    void lengthIsCeilOfTheRatioAndEqualRatesPassThrough() {
        Resampler r = Resampler.of(22050, 16000);
        assertEquals(16000, r.outputLength(22050));
        assertEquals(1, r.outputLength(1));
        assertEquals(726, r.outputLength(1000));                              // 1000 * 320 / 441 = 725.6
        float[] x = {1, 2, 3};
        assertSame(x, Resampler.of(16000, 16000).process(x));
    }

    @Test
    void tapsFollowKaisersFormula() {
        assertEquals(406, Resampler.of(44100, 16000).taps());
        assertEquals(204, Resampler.of(22050, 16000).taps());
        assertEquals(148, Resampler.of(8000, 16000).taps());
    }

    @ParameterizedTest
    @CsvSource({"44100", "22050"})
    void passbandTonesKeepTheirAmplitude(int in) {
        Resampler r = Resampler.of(in, 16000);
        for (double hz : new double[]{1000, 5000, 7000}) {
            double g = gainDb(r, hz);
            assertTrue(Math.abs(g) < 0.1, in + " Hz: " + hz + " Hz tone changed by " + g + " dB");
        }
        double worst = 0;
        for (int hz = 100; hz <= 7300; hz += 100) worst = Math.max(worst, Math.abs(gainDb(r, hz)));
        System.out.printf("ResamplerTest %d -> 16000: passband 100..7300 Hz, max |gain| = %.2g dB%n", in, worst);
        assertTrue(worst < 1e-4, "passband ripple " + worst + " dB");
    }

    @ParameterizedTest
    @CsvSource({"44100", "22050"})
    void tonesAbove8kHzAreRemoved(int in) {
        Resampler r = Resampler.of(in, 16000);
        for (double hz : new double[]{9000, 10000, 15000}) {
            if (hz >= in / 2.0) continue;
            double level = levelDb(r.process(tone(hz, in, 0.5)), r.taps());
            assertTrue(level < -80, in + " Hz: a " + hz + " Hz tone is only " + (-level) + " dB down");
        }
        double weakest = Double.NEGATIVE_INFINITY;
        for (int hz = 8000; hz < in / 2; hz += 50) weakest = Math.max(weakest, levelDb(r.process(tone(hz, in, 0.25)), r.taps()));
        System.out.printf("ResamplerTest %d -> 16000: stop band 8000..%d Hz, attenuation >= %.1f dB%n", in, in / 2, -weakest);
        assertTrue(weakest < -100, "stop band only " + (-weakest) + " dB down");
    }

    @Test
    void upsamplingKeepsTheToneAndAddsNothingAboveTheOldNyquist() {
        Resampler r = Resampler.of(8000, 16000);
        assertTrue(Math.abs(gainDb(r, 3000)) < 0.001);
        // a 3 kHz tone upsampled must not leave an image at 8000 - 3000 = 5 kHz
        float[] y = r.process(tone(3000, 8000, 0.5));
        double image = fittedAmplitude(y, 5000, 16000, r.taps());
        assertTrue(20 * Math.log10(image / AMPLITUDE) < -99, "image at 5 kHz: " + image);
    }
}

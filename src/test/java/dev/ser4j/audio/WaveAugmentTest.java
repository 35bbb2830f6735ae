package dev.ser4j.audio;

import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Augmented copies of a recording: speed perturbation changes length and pitch together, noise has the SNR asked for. */
class WaveAugmentTest {
    static final double HZ = 440;

    /** One second of a 440 Hz tone at 16 kHz. */
    static float[] tone() {
        return ResamplerTest.tone(HZ, 16000, 1.0);
    }

    /**
     * The frequency of a tone at 16 kHz from its upward zero crossings (interpolated between samples), over the
     * steady state: {@code edge} samples cut at each end.
     */
    static double frequency(float[] y, int edge) {
        double first = -1, last = -1;
        int crossings = 0;
        for (int i = edge; i < y.length - edge - 1; i++)
            if (y[i] < 0 && y[i + 1] >= 0) {
                double at = i + y[i] / (double) (y[i] - y[i + 1]);
                if (first < 0) first = at;
                last = at;
                crossings++;
            }
        return (crossings - 1) / ((last - first) / 16000);
    }

    static double snrDb(float[] original, float[] noisy) {
        double signal = 0, noise = 0;
        for (int i = 0; i < original.length; i++) {
            signal += (double) original[i] * original[i];
            double n = (double) noisy[i] - original[i];
            noise += n * n;
        }
        return 10 * Math.log10(signal / noise);
    }

    @ParameterizedTest
    @CsvSource({"0.9, 17778", "1.1, 14546"})
    void speedChangesLengthAndFrequencyByTheSameFactor(double speed, int expectedLength) {
        float[] x = tone();
        assertEquals(440, frequency(x, 0), 0.01, "the measurement itself");
        float[] y = new WaveAugment(List.of(speed), 0, 0, 0, 1).apply(0, x, 42);
        assertEquals(16000 / speed, y.length, 1.0, "length");
        assertEquals(expectedLength, y.length);
        assertEquals(HZ * speed, frequency(y, 500), 0.05, "a " + HZ + " Hz tone played at speed " + speed);
    }

    @Test
    void aNoisyCopysMeasuredSnrLiesInTheRangeAndSpreadsOverIt() {
        WaveAugment aug = new WaveAugment(List.of(), 3, 5, 20, 7);
        float[] x = tone();
        double lowest = Double.MAX_VALUE, highest = -Double.MAX_VALUE;
        for (long key = 0; key < 30; key++)
            for (int k = 0; k < 3; k++) {
                float[] y = aug.apply(k, x, key);
                assertEquals(x.length, y.length, "noise keeps the length");
                double snr = snrDb(x, y);
                assertTrue(snr >= 5 - 1e-3 && snr <= 20 + 1e-3, "copy " + k + " of key " + key + ": SNR " + snr + " dB");
                lowest = Math.min(lowest, snr);
                highest = Math.max(highest, snr);
            }
        assertTrue(lowest < 7 && highest > 18, "90 copies span the range: " + lowest + " to " + highest + " dB");
    }

    @Test
    void aFixedSnrIsMetExactly() {
        float[] x = tone();
        for (double snr : new double[]{0, 12.5, 40}) {
            float[] y = new WaveAugment(List.of(), 1, snr, snr, 3).apply(0, x, 9);
            assertEquals(snr, snrDb(x, y), 1e-3);
        }
    }

    @Test
    void copiesArePureFunctionsOfKeyIndexAndSeed() {
        float[] x = tone();
        WaveAugment aug = new WaveAugment(List.of(0.9, 1.1), 2, 5, 20, 7), otherSeed = new WaveAugment(List.of(0.9, 1.1), 2, 5, 20, 8);
        for (int k = 0; k < aug.copies(); k++) assertArrayEquals(aug.apply(k, x, 123), aug.apply(k, x.clone(), 123), "copy " + k);
        for (int k = 2; k < 4; k++) {
            float[] y = aug.apply(k, x, 123);
            assertFalse(java.util.Arrays.equals(y, aug.apply(k, x, 124)), "another recording (key), other noise: copy " + k);
            assertFalse(java.util.Arrays.equals(y, otherSeed.apply(k, x, 123)), "another seed, other noise: copy " + k);
        }
        assertFalse(java.util.Arrays.equals(aug.apply(2, x, 123), aug.apply(3, x, 123)), "the two noisy copies differ");
        assertFalse(java.util.Arrays.equals(aug.apply(0, x, 123), aug.apply(1, x, 123)), "the two speeds differ");
    }

    @Test
    void silenceStaysFinite() {
        float[] silence = new float[4000];
        float[] y = new WaveAugment(List.of(), 1, 5, 20, 1).apply(0, silence, 5);
        for (float v : y) assertTrue(Float.isFinite(v));
    }

    @Test
    void parseAcceptsNoneAndTheDocumentedForm() {
        assertSame(WaveAugment.NONE, WaveAugment.parse("--wave-augment", "none", 3));
        assertEquals(0, WaveAugment.NONE.copies());
        WaveAugment a = WaveAugment.parse("--wave-augment", "speed=0.9:1.1,noise=1:10:30", 3);
        assertEquals(new WaveAugment(List.of(0.9, 1.1), 1, 10, 30, 3), a);
        assertEquals(3, a.copies());
        assertEquals(new WaveAugment(List.of(), 2, 5, 20, 4), WaveAugment.parse("--wave-augment", "noise=2:5:20", 4));
        assertEquals(new WaveAugment(List.of(1.2), 0, 0, 0, 4), WaveAugment.parse("--wave-augment", "speed=1.2", 4));
        assertEquals(a, WaveAugment.parse("--wave-augment", " speed=0.9:1.1 , noise=1:10:30 ", 3), "spaces around parts");
    }

    @Test
    void parseRejectsMalformedSpecsNamingTheFlag() {
        for (String bad : new String[]{"", "None", "speed", "speed=", "speed=abc", "speed=0.9;1.1", "speed=0.9:", "noise", "noise=1:10",
                "noise=1:10:30:40", "noise=x:10:30", "noise=1.5:10:30", "pitch=2", "speed=0.9,,noise=1:10:30", "speed=3", "speed=0.4",
                "noise=1:30:10", "noise=-1:10:30", "noise=17:10:30", "noise=1:-Infinity:30", "noise=1:10:Infinity", "noise=1:NaN:30",
                "speed=NaN"}) {
            InputException e = assertThrows(InputException.class, () -> WaveAugment.parse("--augment-x", bad, 1), "'" + bad + "'");
            assertEquals("--augment-x", e.source(), bad + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith("--augment-x: "), e.getMessage());
        }
    }

    @Test
    void describeTellsEveryCopyApartAndHoldsWhatMakesIt() {
        WaveAugment a = new WaveAugment(List.of(0.9, 1.1), 2, 5, 20, 7);
        Set<String> all = new HashSet<>();
        for (int k = 0; k < a.copies(); k++) all.add(a.describe(k));
        assertEquals(4, all.size(), all.toString());
        assertEquals("speed=0.9", a.describe(0));
        assertNotEquals(a.describe(2), new WaveAugment(List.of(0.9, 1.1), 2, 5, 25, 7).describe(2), "the SNR range is part of it");
        assertNotEquals(a.describe(2), new WaveAugment(List.of(0.9, 1.1), 2, 5, 20, 8).describe(2), "the seed is part of it");
        assertEquals(a.describe(3), new WaveAugment(List.of(0.9, 1.1), 2, 5, 20, 7).describe(3));
    }
}

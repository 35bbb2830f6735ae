package dev.ser4j.audio;

import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MFCC against librosa 0.11's output (src/test/resources/mfcc, copied from shared/testdata/mfcc; its README
 * gives the format): every element within 1e-4 + 1e-6 |expected|, the bound for a double implementation.
 */
class MfccGoldenTest {
    static final double ABS = 1e-4, REL = 1e-6;

    static Path resource(String name) {
        try {
            return Path.of(MfccGoldenTest.class.getResource("/mfcc/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** The golden [rows, frames] matrix as float32 values. */
    static float[] expected(String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(resource(name + ".f32"))).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }

    /** Compares our [T, width] against librosa's [rows, T] (rows = width) and returns the largest |difference|. */
    static double compare(String name, float[] ours, float[] theirs, int width) {
        int T = ours.length / width;
        assertEquals(theirs.length, ours.length, name + ": element count");
        double worst = 0;
        for (int r = 0; r < width; r++) {
            for (int t = 0; t < T; t++) {
                double e = theirs[r * T + t], a = ours[t * width + r];
                double diff = Math.abs(a - e);
                worst = Math.max(worst, diff);
                if (!(diff <= ABS + REL * Math.abs(e)))
                    throw new AssertionError(name + ": row " + r + " frame " + t + ": java " + a + " vs librosa " + e);
            }
        }
        return worst;
    }

    @ParameterizedTest
    @ValueSource(strings = {"a_sine440", "b_noise_odd", "d_silence", "e2_min_delta_1280", "f1_speech_yes"})
    void all96FeaturesMatchLibrosa(String name) throws IOException {
        Wav wav = Wav.read(resource(name + ".wav"));
        assertEquals(16000, wav.sampleRate());
        float[] ours = new Mfcc().features(name, wav.samples());
        assertEquals(Mfcc.frames(wav.samples().length) * 96, ours.length);
        double worst = compare(name, ours, expected(name), Mfcc.FEATURES);
        System.out.printf("MfccGoldenTest %-18s %4d frames  max |java - librosa| = %.3g%n", name, ours.length / 96, worst);
    }

    @Test
    void shortInputCoefficientsMatchLibrosa() throws IOException {
        Wav wav = Wav.read(resource("e_short300.wav"));
        float[] ours = new Mfcc().coefficients("e_short300", wav.samples());
        double worst = compare("e_short300", ours, expected("e_short300"), Mfcc.N_MFCC);
        System.out.printf("MfccGoldenTest %-18s %4d frames  max |java - librosa| = %.3g (MFCC rows only)%n", "e_short300", ours.length / 32, worst);
    }

    @Test
    void shortInputHasNoDeltasAndSaysWhy() {
        Wav wav = Wav.read(resource("e_short300.wav"));
        InputException e = assertThrows(InputException.class, () -> new Mfcc().features("e_short300.wav", wav.samples()));
        assertTrue(e.getMessage().startsWith("e_short300.wav: has 300 samples"), e.getMessage());
        assertTrue(e.getMessage().contains("at least 1280"), e.getMessage());
    }

    @Test
    void reusedInstanceGivesTheSameAnswers() throws IOException {
        // one extractor through a long, a short and the long case again: the buffers it keeps must not leak state
        Mfcc m = new Mfcc();
        float[] speech = Wav.read(resource("f1_speech_yes.wav")).samples();
        float[] first = m.features("f1", speech);
        m.features("e2", Wav.read(resource("e2_min_delta_1280.wav")).samples());
        compare("f1_speech_yes (reused)", m.features("f1", speech), expected("f1_speech_yes"), Mfcc.FEATURES);
        org.junit.jupiter.api.Assertions.assertArrayEquals(first, m.features("f1", speech));
    }
}

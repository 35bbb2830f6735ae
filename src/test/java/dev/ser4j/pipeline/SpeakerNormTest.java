package dev.ser4j.pipeline;

import dev.ser4j.audio.Mfcc;
import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** Speaker normalisation: whose frames an utterance is normalised by, and that the result is z-normalised exactly. */
class SpeakerNormTest {
    static final int D = Mfcc.FEATURES;

    /**
     * An utterance of {@code frames} frames: per feature an offset of the speaker, one of the utterance, and noise of
     * a feature-dependent spread; feature 0 sits far from zero with little spread (as a steady recording's c0 does).
     */
    static float[] utterance(SplittableRandom rng, int frames, double speakerOffset, double utteranceOffset) {
        float[] f = new float[frames * D];
        for (int t = 0; t < frames; t++)
            for (int c = 0; c < D; c++) {
                double spread = c == 0 ? 0.05 : 0.5 + c % 7 * 3;
                double centre = c == 0 ? -250 : (c % 5 - 2) * 40;
                f[t * D + c] = (float) (centre + speakerOffset * (1 + c % 3) + utteranceOffset + spread * rng.nextGaussian());
            }
        return f;
    }

    /** Per feature, the mean and population standard deviation of every frame of {@code parts}, computed in double, two passes. */
    static double[][] meanAndStd(List<float[]> parts) {
        double[] mean = new double[D], std = new double[D];
        long n = 0;
        for (float[] p : parts) {
            for (int i = 0; i < p.length; i++) mean[i % D] += p[i];
            n += p.length / D;
        }
        for (int c = 0; c < D; c++) mean[c] /= n;
        for (float[] p : parts)
            for (int i = 0; i < p.length; i++) std[i % D] += (p[i] - mean[i % D]) * (p[i] - mean[i % D]);
        for (int c = 0; c < D; c++) std[c] = Math.sqrt(std[c] / n);
        return new double[][]{mean, std};
    }

    static void assertZNormalised(List<float[]> parts, String what) {
        double[][] ms = meanAndStd(parts);
        for (int c = 0; c < D; c++) {
            assertEquals(0, ms[0][c], 1e-5, what + ": mean of feature " + c);
            assertEquals(1, ms[1][c], 1e-5, what + ": standard deviation of feature " + c);
        }
    }

    /** Three speakers of three utterances each, and two utterances of unknown speakers, with different offsets. */
    record Data(List<String> speakers, List<float[]> features) {
        static Data make(long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            List<String> speakers = new ArrayList<>();
            List<float[]> features = new ArrayList<>();
            for (int s = 0; s < 3; s++)
                for (int u = 0; u < 3; u++) {
                    speakers.add("spk" + s);
                    features.add(utterance(rng, 40 + 17 * u + s, 6 * (s - 1), 2.5 * (u - 1)));
                }
            for (int u = 0; u < 2; u++) {
                speakers.add(SpeakerNorm.UNKNOWN_SPEAKER);
                features.add(utterance(rng, 30 + 11 * u, 0, 9 * (2 * u - 1)));
            }
            return new Data(speakers, features);
        }

        List<float[]> of(String speaker) {
            List<float[]> out = new ArrayList<>();
            for (int i = 0; i < speakers.size(); i++) if (speakers.get(i).equals(speaker)) out.add(features.get(i));
            return out;
        }
    }

    @Test
    void speakerNormalisationZNormalisesEveryKnownSpeakersFramesTogether() {
        Data d = Data.make(1);
        SpeakerNorm.Normalizer norm = SpeakerNorm.SPEAKER.fit(d.speakers(), d.features());
        for (String s : List.of("spk0", "spk1", "spk2")) {
            List<float[]> normalised = d.of(s).stream().map(f -> norm.apply(s, f)).toList();
            assertZNormalised(normalised, s);
            // the speaker's statistics, not each utterance's own: the utterances keep their offsets from each other
            double first = meanAndStd(List.of(normalised.getFirst()))[0][1], last = meanAndStd(List.of(normalised.getLast()))[0][1];
            assertTrue(last - first > 0.1, s + ": utterance offsets kept, " + first + " vs " + last);
        }
    }

    @Test
    void utteranceNormalisationZNormalisesEachUtteranceByItself() {
        Data d = Data.make(2);
        SpeakerNorm.Normalizer norm = SpeakerNorm.UTTERANCE.fit(d.speakers(), d.features());
        for (int i = 0; i < d.features().size(); i++)
            assertZNormalised(List.of(norm.apply(d.speakers().get(i), d.features().get(i))), "utterance " + i + " of " + d.speakers().get(i));
    }

    @Test
    void anUnknownSpeakerIsNormalisedByItsOwnFramesEvenInSpeakerMode() {
        Data d = Data.make(3);
        SpeakerNorm.Normalizer norm = SpeakerNorm.SPEAKER.fit(d.speakers(), d.features());
        List<float[]> unknown = d.of(SpeakerNorm.UNKNOWN_SPEAKER);
        assertEquals(2, unknown.size());
        for (float[] f : unknown) assertZNormalised(List.of(norm.apply(SpeakerNorm.UNKNOWN_SPEAKER, f)), "an unknown speaker's utterance");
        // a speaker the normaliser was not fitted on is treated the same way
        float[] stranger = utterance(new SplittableRandom(9), 25, 30, 0);
        assertZNormalised(List.of(norm.apply("stranger", stranger)), "a speaker not seen when fitting");
    }

    @Test
    void noneReturnsTheFeaturesUnchanged() {
        Data d = Data.make(4);
        SpeakerNorm.Normalizer norm = SpeakerNorm.NONE.fit(d.speakers(), d.features());
        for (int i = 0; i < d.features().size(); i++) {
            float[] f = d.features().get(i), before = f.clone();
            assertSame(f, norm.apply(d.speakers().get(i), f));
            assertArrayEquals(before, f);
        }
    }

    @Test
    void normalisingDoesNotChangeItsInput() {
        Data d = Data.make(5);
        List<float[]> before = d.features().stream().map(float[]::clone).toList();
        for (SpeakerNorm mode : List.of(SpeakerNorm.SPEAKER, SpeakerNorm.UTTERANCE)) {
            SpeakerNorm.Normalizer norm = mode.fit(d.speakers(), d.features());
            for (int i = 0; i < d.features().size(); i++) {
                float[] out = norm.apply(d.speakers().get(i), d.features().get(i));
                assertNotSame(d.features().get(i), out);
                assertArrayEquals(before.get(i), d.features().get(i), mode + " changed utterance " + i);
            }
        }
    }

    @Test
    void aConstantFeatureIsFiniteThanksToTheStandardDeviationFloor() {
        SplittableRandom rng = new SplittableRandom(6);
        float[] f = utterance(rng, 50, 0, 0);
        for (int t = 0; t < 50; t++) {
            f[t * D + 3] = 3.7f;
            f[t * D + 40] = -321.25f;
        }
        float[] oneFrame = utterance(rng, 1, 0, 0);                       // every feature constant
        for (SpeakerNorm mode : List.of(SpeakerNorm.SPEAKER, SpeakerNorm.UTTERANCE)) {
            SpeakerNorm.Normalizer norm = mode.fit(List.of("a", "b"), List.of(f, oneFrame));
            float[] out = norm.apply("a", f), single = norm.apply("b", oneFrame);
            for (float v : out) assertTrue(Float.isFinite(v), mode + ": " + v);
            for (float v : single) assertEquals(0, v, 1e-3, mode + ": a single frame is its own mean");
            for (int t = 0; t < 50; t++) {
                assertEquals(0, out[t * D + 3], 1e-3, mode + ": a constant feature is its mean");
                assertEquals(0, out[t * D + 40], 1e-3, mode.id());
            }
        }
        assertEquals(0, SpeakerStats.of(oneFrame).embedding()[D + 5], "population standard deviation of one frame");
    }

    @Test
    void embeddingIsTheMeanThenThePopulationStandardDeviation() {
        SplittableRandom rng = new SplittableRandom(7);
        float[] a = utterance(rng, 37, 1, 0), b = utterance(rng, 64, 1, 3);
        SpeakerStats s = new SpeakerStats();
        s.add(a);
        s.add(b);
        assertEquals(101, s.frames());
        double[][] ms = meanAndStd(List.of(a, b));
        float[] e = s.embedding();
        assertEquals(2 * D, e.length);
        for (int c = 0; c < D; c++) {
            assertEquals(ms[0][c], e[c], 1e-6 * Math.max(1, Math.abs(ms[0][c])), "mean of feature " + c);
            assertEquals(ms[1][c], e[D + c], 1e-5 * Math.max(1, ms[1][c]), "standard deviation of feature " + c);
        }
        // the population (divide by n), not the sample (n - 1), standard deviation
        assertEquals(0.5f, SpeakerStats.of(twoFrames(1, 2)).embedding()[D + 7], 1e-7);
        assertEquals(1.5f, SpeakerStats.of(twoFrames(1, 2)).embedding()[7], 1e-7);
    }

    private static float[] twoFrames(float x, float y) {
        float[] f = new float[2 * D];
        java.util.Arrays.fill(f, 0, D, x);
        java.util.Arrays.fill(f, D, 2 * D, y);
        return f;
    }

    @Test
    void addFromSeveralThreadsCountsEveryFrame() throws Exception {
        SpeakerStats shared = new SpeakerStats(), serial = new SpeakerStats();
        List<float[]> parts = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(8);
        for (int i = 0; i < 400; i++) parts.add(utterance(rng, 1 + i % 5, 0, i % 3));
        for (float[] p : parts) serial.add(p);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int first = w;
                done.add(pool.submit(() -> {
                    for (int i = first; i < parts.size(); i += 8) shared.add(parts.get(i));
                }));
            }
            for (Future<?> f : done) f.get();
        }
        assertEquals(parts.stream().mapToLong(p -> p.length / D).sum(), shared.frames());
        assertEquals(serial.frames(), shared.frames());
        float[] a = serial.embedding(), b = shared.embedding();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-4 * Math.max(1, Math.abs(a[i])), "value " + i);
    }

    @Test
    void parseKnowsTheThreeModesAndNamesTheSourceOtherwise() {
        for (SpeakerNorm n : SpeakerNorm.values()) assertSame(n, SpeakerNorm.parse("--speaker-norm", n.id()));
        assertEquals("speaker", SpeakerNorm.SPEAKER.id());
        InputException e = assertThrows(InputException.class, () -> SpeakerNorm.parse("--speaker-norm", "Speaker"));
        assertEquals("--speaker-norm", e.source());
        assertTrue(e.getMessage().contains("'Speaker'"), e.getMessage());
    }
}

package dev.ser4j.synth;

import dev.ser4j.synth.CorpusSpec.Speaker;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-utterance draws (A2, A4) without synthesis: mixing rule, determinism, and the distributions. */
class SynthUtteranceTest {
    static final long SEED = CorpusSpec.DEFAULT_SEED;

    @Test
    void emotionsCycleEveryFourAndSpeakersEverySixtyFour() {
        Map<String, Integer> cells = new HashMap<>();
        for (int i = 0; i < 128; i++) {
            SynthUtterance u = SynthUtterance.draw(SEED, i);
            assertEquals(CorpusSpec.EMOTIONS.get(i % 4), u.emotion());
            assertEquals(CorpusSpec.SPEAKERS.get((i / 4) % 16), u.speaker());
            cells.merge(u.speaker().id() + "/" + u.emotion(), 1, Integer::sum);
        }
        assertEquals(64, cells.size());
        assertTrue(cells.values().stream().allMatch(c -> c == 2), "each speaker x emotion cell twice in 128: " + cells);
    }

    @Test
    void defaultSizeIsBalancedAsCorpusMdSays() {
        Map<Emotion, Integer> perClass = new EnumMap<>(Emotion.class);
        Map<String, Integer> perSpeaker = new HashMap<>();
        for (int i = 0; i < CorpusSpec.DEFAULT_SIZE; i++) {
            SynthUtterance u = SynthUtterance.draw(SEED, i);
            perClass.merge(u.emotion(), 1, Integer::sum);
            perSpeaker.merge(u.speaker().id(), 1, Integer::sum);
        }
        assertTrue(perClass.values().stream().allMatch(c -> c == 500), perClass.toString());
        assertEquals(16, perSpeaker.size());
        assertTrue(perSpeaker.values().stream().allMatch(c -> c >= 124 && c <= 128), perSpeaker.toString());
    }

    @Test
    void anUtteranceDependsOnlyOnSeedAndIndex() {
        assertEquals(SynthUtterance.draw(SEED, 1234), SynthUtterance.draw(SEED, 1234));
        assertNotEquals(SynthUtterance.draw(SEED, 7), SynthUtterance.draw(SEED + 1, 7));
        assertNotEquals(SynthUtterance.draw(SEED, 7).noiseSeed(), SynthUtterance.draw(SEED, 11).noiseSeed());
    }

    @Test
    void idsAndPathsFollowTheLayout() {
        SynthUtterance u = SynthUtterance.draw(SEED, 21);
        assertEquals("S3F_00021", u.id());                                  // corpus.md's example (A6)
        assertEquals("wav/S3F/S3F_00021.wav", u.path());
        String[] cols = u.manifestLine().split("\t", -1);
        assertEquals(5, cols.length);
        assertEquals(u.transcript(), cols[3]);
        assertEquals(18, u.metaLine(2.5).split("\t", -1).length);
        assertEquals(SynthUtterance.META_COLUMNS.size(), u.metaLine(2.5).split("\t", -1).length);
    }

    @Test
    void drawsFollowTheProsodyTableAndStayInRange() {
        int n = 40_000;
        Map<Emotion, double[]> sums = new EnumMap<>(Emotion.class);         // pitch offset, range offset, rate, tilt, loud, gap
        Map<Lexicon.TextType, Integer> types = new EnumMap<>(Lexicon.TextType.class);
        for (int i = 0; i < n; i++) {
            SynthUtterance u = SynthUtterance.draw(SEED, i);
            Speaker s = u.speaker();
            assertTrue(u.pitch() >= 0 && u.pitch() <= 99);
            assertTrue(u.range() >= -90 && u.range() <= 100);
            assertTrue(u.speed() >= 80 && u.speed() <= 350);
            assertTrue(Math.abs(u.tilt()) <= 0.8);
            assertTrue(u.snrDb() >= 15 && u.snrDb() < 30);
            assertTrue(u.gap() >= 0 && u.gap() <= CorpusSpec.prosody(u.emotion()).gapMax());
            double[] a = sums.computeIfAbsent(u.emotion(), e -> new double[6]);
            a[0] += u.pitch() - s.pitch();
            a[1] += u.range() - s.range();
            a[2] += u.speed() / (double) s.wpm();
            a[3] += u.tilt();
            a[4] += u.loudDb();
            a[5] += u.gap();
            types.merge(u.textType(), 1, Integer::sum);
        }
        for (Emotion e : CorpusSpec.EMOTIONS) {
            CorpusSpec.Prosody p = CorpusSpec.prosody(e);
            double[] a = sums.get(e);
            double m = n / 4.0;
            assertEquals(p.pitchMean(), a[0] / m, 0.3, e + " pitch offset");
            // the range is clamped at +100 (A1), which pulls happy's and angry's mean offset down a little
            assertEquals(p.rangeMean(), a[1] / m, e == Emotion.HAPPY || e == Emotion.ANGRY ? 6 : 1.5, e + " range offset");
            assertEquals(p.rateMean(), a[2] / m, 0.005, e + " rate factor");
            assertEquals(p.tiltMean(), a[3] / m, 0.01, e + " tilt");
            assertEquals(p.loudMean(), a[4] / m, 0.1, e + " loudness");
            assertEquals(p.gapMax() / 2.0, a[5] / m, 0.03, e + " gap");
        }
        assertEquals(0.5, types.get(Lexicon.TextType.SPECIFIC) / (double) n, 0.01);
        assertEquals(0.3, types.get(Lexicon.TextType.VALENCE) / (double) n, 0.01);
        assertEquals(0.2, types.get(Lexicon.TextType.AMBIGUOUS) / (double) n, 0.01);
    }

    @Test
    void normalDrawsHaveUnitVariance() {
        Draws d = new Draws(3);
        double sum = 0, sq = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double x = d.standardNormal();
            sum += x;
            sq += x * x;
        }
        assertEquals(0, sum / n, 0.01);
        assertEquals(1, sq / n - (sum / n) * (sum / n), 0.01);
    }
}

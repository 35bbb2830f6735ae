package dev.ser4j.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The segmenter on recordings whose speech is known: harmonic tone bursts between silences or low noise. One span per
 * burst, boundaries near the bursts' edges, long bursts cut into spans the model takes whole, and exactly the same
 * spans whatever the chunks a recording arrives in.
 */
class SegmenterTest {
    /** A recording of bursts: where each burst starts and ends, in samples. */
    record Recording(float[] samples, int rate, List<long[]> bursts) {}

    /**
     * Bursts of {@code burstSeconds} (each drawn in the range) separated by pauses of 0.5 to 1.5 s, with a pause first
     * and last, over gaussian noise of RMS {@code noise}.
     */
    static Recording bursts(int rate, int count, double minBurst, double maxBurst, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<long[]> where = new ArrayList<>();
        long t = (long) (rate * (0.5 + r.nextDouble()));
        List<Double> f0s = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long n = (long) (rate * (minBurst + (maxBurst - minBurst) * r.nextDouble()));
            where.add(new long[]{t, t + n});
            f0s.add(110 + 200 * r.nextDouble());
            t += n + (long) (rate * (0.5 + r.nextDouble()));
        }
        float[] x = new float[(int) t];
        for (int i = 0; i < x.length; i++) x[i] = (float) (noise * r.nextGaussian());
        for (int b = 0; b < count; b++) {
            long[] w = where.get(b);
            double f0 = f0s.get(b), amp = 0.1 + 0.3 * r.nextDouble();
            for (long i = w[0]; i < w[1]; i++) {
                double ph = 2 * Math.PI * f0 * (i - w[0]) / rate;
                x[(int) i] += (float) (amp * (Math.sin(ph) + 0.5 * Math.sin(2 * ph) + 0.25 * Math.sin(3 * ph)));
            }
        }
        return new Recording(x, rate, where);
    }

    static List<Segmenter.Span> inChunks(float[] x, int rate, long seed, int maxChunk) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Segmenter.Span> out = new ArrayList<>();
        Segmenter.Stream s = new Segmenter.Stream(rate, out::add);
        for (int i = 0; i < x.length; ) {
            int n = Math.min(x.length - i, 1 + r.nextInt(maxChunk));
            s.accept(x, i, n);
            i += n;
        }
        s.finish();
        return out;
    }

    static void assertOrderedAndDisjoint(List<Segmenter.Span> spans) {
        for (int i = 0; i < spans.size(); i++) {
            assertTrue(spans.get(i).start() < spans.get(i).end(), "span " + i + " is empty: " + spans.get(i));
            if (i > 0) assertTrue(spans.get(i - 1).end() <= spans.get(i).start(), "spans overlap: " + spans.get(i - 1) + " " + spans.get(i));
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.0005, 0.004})       // digital silence; noise at -66 dBFS (below the absolute floor); at -48 dBFS
    void everyBurstIsOneSpanWithBoundariesWithinFifteenHundredthsOfASecond(double noise) {
        Recording rec = bursts(16000, 12, 0.6, 4, noise, 7);
        List<Segmenter.Span> spans = Segmenter.spans(rec.samples(), rec.rate());
        assertEquals(rec.bursts().size(), spans.size(), "spans " + spans);
        for (int i = 0; i < spans.size(); i++) {
            long[] b = rec.bursts().get(i);
            Segmenter.Span s = spans.get(i);
            assertEquals(b[0] / 16000.0, s.startSeconds(), 0.15, "start of burst " + i);
            assertEquals(b[1] / 16000.0, s.endSeconds(), 0.15, "end of burst " + i);
        }
        assertOrderedAndDisjoint(spans);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aTwentySecondBurstIsCutIntoSpansTheModelTakesWholeThatTileIt(boolean fading) {
        Recording rec = bursts(16000, 1, 20, 20, 0.0005, 3);
        long[] b = rec.bursts().getFirst();
        // fading: the burst grows quieter (by 12 dB over its 20 s), so the quietest frame of every window is its last
        if (fading) for (long i = b[0]; i < b[1]; i++) rec.samples()[(int) i] *= (float) Math.pow(10, -0.6 * (i - b[0]) / (b[1] - b[0]));
        List<Segmenter.Span> spans = Segmenter.spans(rec.samples(), rec.rate());
        assertTrue(spans.size() >= 3, "20 s in spans of at most 7.5 s: " + spans);
        assertEquals(b[0] / 16000.0, spans.getFirst().startSeconds(), 0.15);
        assertEquals(b[1] / 16000.0, spans.getLast().endSeconds(), 0.15);
        for (int i = 0; i < spans.size(); i++) {
            Segmenter.Span s = spans.get(i);
            assertTrue(s.endSeconds() - s.startSeconds() <= 7.5, "span " + i + " is " + (s.endSeconds() - s.startSeconds()) + " s");
            // the model's window: the span's MFCC frames are at most the 750 the model reads
            assertTrue(Mfcc.frames((int) (s.end() - s.start())) <= Mfcc.MAX_FRAMES, "span " + i + " has " + Mfcc.frames((int) (s.end() - s.start())) + " frames");
            if (i > 0) assertEquals(spans.get(i - 1).end(), s.start(), "the cut spans follow each other without a gap");
        }
    }

    @Test
    void spansNeverOverlapOnBurstsOfEveryLength() {
        for (long seed = 1; seed <= 5; seed++) {
            Recording rec = bursts(16000, 10, 0.05, 12, 0.002, seed);
            assertOrderedAndDisjoint(Segmenter.spans(rec.samples(), rec.rate()));
        }
    }

    @Test
    void chunksOfAnySizeGiveExactlyTheSpansOfTheWholeRecording() {
        Recording rec = bursts(16000, 8, 0.2, 10, 0.003, 11);
        List<Segmenter.Span> whole = Segmenter.spans(rec.samples(), rec.rate());
        assertFalse(whole.isEmpty());
        for (long seed = 1; seed <= 6; seed++)
            for (int max : new int[]{1, 7, 160, 8000})
                assertEquals(whole, inChunks(rec.samples(), rec.rate(), seed, max), "seed " + seed + ", chunks of 1.." + max);
    }

    @Test
    void speechFromTheFirstSampleOnIsFound() {
        Recording rec = bursts(16000, 3, 1, 3, 0.0005, 8);
        long cut = rec.bursts().getFirst()[0];                  // the recording starts with its first burst
        float[] x = java.util.Arrays.copyOfRange(rec.samples(), (int) cut, rec.samples().length);
        List<Segmenter.Span> spans = Segmenter.spans(x, 16000);
        assertEquals(3, spans.size(), "spans " + spans);
        assertEquals(0, spans.getFirst().startSeconds(), 0.05);
        assertEquals((rec.bursts().getFirst()[1] - cut) / 16000.0, spans.getFirst().endSeconds(), 0.15);
    }

    @Test
    void loudNoiseFromTheStartIsNotSpeechForLong() {
        // noise at -40 dBFS from the first sample: at most a short false span while the floor learns the level
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[16000 * 20];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.01 * r.nextGaussian());
        double speech = Segmenter.spans(x, 16000).stream().mapToDouble(s -> s.endSeconds() - s.startSeconds()).sum();
        assertTrue(speech <= 6, speech + " s of noise taken for speech");
    }

    @Test
    void silenceHasNoSpeech() {
        assertEquals(List.of(), Segmenter.spans(new float[16000 * 10], 16000));
        float[] hiss = new float[16000 * 10];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < hiss.length; i++) hiss[i] = (float) (0.0003 * r.nextGaussian());
        assertEquals(List.of(), Segmenter.spans(hiss, 16000));
        assertEquals(List.of(), Segmenter.spans(new float[0], 16000));
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 22050, 44100, 48000})
    void otherSampleRatesGiveTheSameBoundariesInSeconds(int rate) {
        Recording rec = bursts(rate, 6, 0.6, 9, 0.001, 5);
        List<Segmenter.Span> spans = Segmenter.spans(rec.samples(), rate);
        assertTrue(spans.size() >= rec.bursts().size(), "spans " + spans);
        assertEquals(rec.bursts().getFirst()[0] / (double) rate, spans.getFirst().startSeconds(), 0.15);
        assertEquals(rec.bursts().getLast()[1] / (double) rate, spans.getLast().endSeconds(), 0.15);
        for (Segmenter.Span s : spans) {
            assertEquals(rate, s.sampleRate());
            assertTrue(s.endSeconds() - s.startSeconds() <= 7.5, s + " is longer than 7.5 s");
        }
        assertOrderedAndDisjoint(spans);
        assertEquals(spans, inChunks(rec.samples(), rate, 2, 8000));
    }

    @Test
    void earliestNeededNeverPassesTheStartOfASpanReportedLater() {
        Recording rec = bursts(16000, 10, 0.05, 12, 0.002, 4);
        SplittableRandom r = new SplittableRandom(9);
        List<Segmenter.Span> out = new ArrayList<>();
        long[] promised = {0};
        Segmenter.Stream s = new Segmenter.Stream(16000, span -> {
            assertTrue(span.start() >= promised[0], span + " starts before " + promised[0] + ", which the stream said could be dropped");
            out.add(span);
        });
        float[] x = rec.samples();
        for (int i = 0; i < x.length; ) {
            long now = s.earliestNeeded();
            assertTrue(now >= promised[0], "earliestNeeded went back from " + promised[0] + " to " + now);
            assertTrue(now <= i, "earliestNeeded " + now + " is beyond the " + i + " samples given");
            promised[0] = now;
            int n = Math.min(x.length - i, 1 + r.nextInt(4000));
            s.accept(x, i, n);
            i += n;
        }
        promised[0] = s.earliestNeeded();
        s.finish();
        assertEquals(Segmenter.spans(x, 16000), out);
    }
}

package dev.ser4j;

import dev.ser4j.audio.Audio16k;
import dev.ser4j.audio.Mfcc;
import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.TrainedModel;
import dev.ser4j.pipeline.ModelInput;
import dev.ser4j.pipeline.SpeakerStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The API's predictions against the training pipeline computed by hand: the same MFCC, truncation, speaker
 * normalisation (enrolled statistics, or the utterance's own) and model; and {@link Speech} at any sample rate.
 */
class EmotionRecognizerTest {
    static final ModelConfig CONFIG = ModelConfig.of(Variant.AUDIO_CNN, 0, false);

    @TempDir
    Path dir;

    /** A randomly initialised audio-only model, as a trained one would run it. */
    MscnnSpuAtt model;

    @BeforeEach
    void build() {
        model = new MscnnSpuAtt(CONFIG, new CpuBackend());
        model.initialize(17);
    }

    @AfterEach
    void free() {
        model.close();
    }

    Path write(String speakerNorm) throws Exception {
        Path f = dir.resolve("model-" + speakerNorm + ".safetensors");
        TrainedModel.of(model, FeatureNormalizer.identity(Mfcc.FEATURES), Map.of("speaker_norm", speakerNorm)).write(f);
        return f;
    }

    /** {@code seconds} of a tone with harmonics and noise at 16 kHz; after {@code changeAt} seconds, loud noise. */
    static float[] recording(double hz, double noise, double seconds, double changeAt, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[(int) (16000 * seconds)];
        for (int i = 0; i < x.length; i++) {
            double t = i / 16000.0;
            double v = t < changeAt
                    ? 0.3 * Math.sin(2 * Math.PI * hz * t) + 0.1 * Math.sin(2 * Math.PI * 3 * hz * t) * Math.sin(2 * Math.PI * 3 * t) + noise * rng.nextGaussian()
                    : 0.5 * rng.nextGaussian();
            x[i] = (float) Math.max(-1, Math.min(1, v));
        }
        return x;
    }

    static final float[] A = recording(180, 0.02, 8.0, 7.5, 1);   // 800 frames: the last 50 (noise) are cut off
    static final float[] B = recording(260, 0.05, 1.5, 99, 2);
    static final float[] X = recording(520, 0.01, 2.0, 99, 3);

    /** The training pipeline by hand: MFCC, the first 750 frames, {@code normalise}, the example, the batch, the model. */
    float[] byHand(float[] samples16k, UnaryOperator<float[]> normalise) {
        float[] audio = ModelInput.PAPER.audio(new Mfcc().features("x", samples16k));
        Example e = ModelInput.example("x", "unknown", "unknown", normalise.apply(audio), List.of(), null, null, -1);
        model.forward(new Batcher(CONFIG, FeatureNormalizer.identity(Mfcc.FEATURES)).batch(List.of(e)), 0f, 0);
        return java.util.Arrays.copyOf(model.probabilities(), CONFIG.classes());
    }

    static SpeakerStats statsOf(float[]... recordings) {
        SpeakerStats s = new SpeakerStats();
        for (float[] r : recordings) s.add(ModelInput.PAPER.audio(new Mfcc().features("enrolment", r)));
        return s;
    }

    static float maxDifference(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }

    @Test
    void anEnrolledSpeakersPredictionIsTheTrainingPipelinesByHand() throws Exception {
        float[] expected = byHand(X, statsOf(A, B)::normalize);
        float[] ownFrames = byHand(X, f -> SpeakerStats.of(f).normalize(f));
        SpeakerStats untruncated = new SpeakerStats();
        untruncated.add(new Mfcc().features("a", A));
        untruncated.add(new Mfcc().features("b", B));
        float[] notTruncated = byHand(X, untruncated::normalize);
        try (EmotionRecognizer ser = EmotionRecognizer.load(write("speaker"))) {
            ser.enroll("s", Speech.of(A, 16000), Speech.of(B, 16000));
            Prediction p = ser.predict(Speech.of(X, 16000).withSpeaker("s"));
            assertArrayEquals(expected, p.probabilities(), 1e-5f);
            assertEquals(CONFIG.labels().names(), p.classes());
            // the check can tell: the utterance's own statistics and the untruncated enrolment recordings give other answers
            assertTrue(maxDifference(expected, ownFrames) > 1e-3, "own frames: " + maxDifference(expected, ownFrames));
            assertTrue(maxDifference(expected, notTruncated) > 1e-4, "untruncated: " + maxDifference(expected, notTruncated));
        }
    }

    @Test
    void withoutEnrolmentThePredictionUsesTheUtterancesOwnFrames() throws Exception {
        float[] expected = byHand(X, f -> SpeakerStats.of(f).normalize(f));
        try (EmotionRecognizer ser = EmotionRecognizer.load(write("speaker"))) {
            assertArrayEquals(expected, ser.predict(Speech.of(X, 16000)).probabilities(), 1e-5f, "no speaker given");
            assertArrayEquals(expected, ser.predict(X, "").probabilities(), 1e-5f, "the samples API");
            ser.enroll("t", Speech.of(A, 16000));
            assertArrayEquals(expected, ser.predict(Speech.of(X, 16000).withSpeaker("s")).probabilities(), 1e-5f, "another speaker enrolled");
        }
    }

    @Test
    void enrolmentAddsUpAcrossCallsAndThreads() throws Exception {
        float[] both = byHand(X, statsOf(A, B)::normalize);
        try (EmotionRecognizer ser = EmotionRecognizer.load(write("speaker")); ExecutorService pool = Executors.newFixedThreadPool(2)) {
            ser.enroll("one-by-one", Speech.of(A, 16000));
            ser.enroll("one-by-one", Speech.of(B, 16000));
            assertArrayEquals(both, ser.predict(Speech.of(X, 16000).withSpeaker("one-by-one")).probabilities(), 1e-5f);
            Future<?> a = pool.submit(() -> ser.enroll("threads", Speech.of(A, 16000))), b = pool.submit(() -> ser.enroll("threads", Speech.of(B, 16000)));
            a.get();
            b.get();
            assertArrayEquals(both, ser.predict(Speech.of(X, 16000).withSpeaker("threads")).probabilities(), 1e-5f);
        }
    }

    /** enrollAndPredict is enroll for each speech that names a speaker, then predictAll; all-or-nothing on bad input. */
    @Test
    void enrolAndPredictEqualsEnrollThenPredictAll() throws Exception {
        try (EmotionRecognizer once = EmotionRecognizer.load(write("speaker")); EmotionRecognizer twice = EmotionRecognizer.load(write("speaker"))) {
            List<Speech> batch = List.of(Speech.of(A, 16000).withSpeaker("s"), Speech.of(X, 16000), Speech.of(B, 16000).withSpeaker("s"));
            twice.enroll("s", Speech.of(A, 16000), Speech.of(B, 16000));
            List<Prediction> expected = twice.predictAll(batch), got = once.enrollAndPredict(batch);
            for (int i = 0; i < batch.size(); i++) assertArrayEquals(expected.get(i).probabilities(), got.get(i).probabilities(), "speech " + i);
            // the speaker stays enrolled: a later prediction uses both recordings
            assertArrayEquals(byHand(X, statsOf(A, B)::normalize), once.predict(Speech.of(X, 16000).withSpeaker("s")).probabilities(), 1e-5f);

            List<Speech> bad = List.of(Speech.of(A, 16000).withSpeaker("u"), Speech.of(new float[100], 16000).withSpeaker("u"));
            assertThrows(InputException.class, () -> once.enrollAndPredict(bad));
            float[] ownFrames = byHand(X, f -> SpeakerStats.of(f).normalize(f));
            assertArrayEquals(ownFrames, once.predict(Speech.of(X, 16000).withSpeaker("u")).probabilities(), 1e-5f, "nothing was enrolled");
            assertThrows(InputException.class, () -> once.enrollAndPredict(List.of(Speech.of(A, 16000).withSpeaker(" "))), "a blank name");
        }
    }

    @Test
    void aModelWithoutSpeakerNormalisationIgnoresTheSpeaker() throws Exception {
        float[] raw = byHand(X, f -> f), ownFrames = byHand(X, f -> SpeakerStats.of(f).normalize(f));
        try (EmotionRecognizer none = EmotionRecognizer.load(write("none")); EmotionRecognizer utterance = EmotionRecognizer.load(write("utterance"))) {
            for (EmotionRecognizer ser : List.of(none, utterance)) ser.enroll("s", Speech.of(A, 16000), Speech.of(B, 16000));
            assertArrayEquals(raw, none.predict(Speech.of(X, 16000).withSpeaker("s")).probabilities(), 1e-5f);
            assertArrayEquals(raw, none.predict(Speech.of(X, 16000)).probabilities(), 1e-5f);
            assertArrayEquals(ownFrames, utterance.predict(Speech.of(X, 16000).withSpeaker("s")).probabilities(), 1e-5f,
                    "utterance normalisation: always the utterance's own frames");
            assertTrue(maxDifference(raw, ownFrames) > 1e-3, "the check can tell: " + maxDifference(raw, ownFrames));
        }
    }

    @Test
    void speechAt44kHzIsPredictedAsTheSameAudioResampledFirst() throws Exception {
        float[] x44 = new float[44100 * 2];
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < x44.length; i++)
            x44[i] = (float) (0.3 * Math.sin(2 * Math.PI * 300 * i / 44100.0) + 0.2 * Math.sin(2 * Math.PI * 5100 * i / 44100.0) + 0.01 * rng.nextGaussian());
        float[] x16 = Audio16k.toModelRate(x44, 44100);
        try (EmotionRecognizer ser = EmotionRecognizer.load(write("utterance"))) {
            float[] direct = ser.predict(Speech.of(x44, 44100)).probabilities(), resampled = ser.predict(Speech.of(x16, 16000)).probabilities();
            assertArrayEquals(resampled, direct, 1e-4f);
            assertArrayEquals(byHand(x16, f -> SpeakerStats.of(f).normalize(f)), direct, 1e-5f);
            float[] asIf16k = ser.predict(Speech.of(x44, 16000)).probabilities();
            assertTrue(maxDifference(direct, asIf16k) > 1e-4, "the rate matters: " + maxDifference(direct, asIf16k));
        }
    }

    @Test
    void speechRejectsANonPositiveSampleRate() {
        for (int rate : new int[]{0, -16000, Integer.MIN_VALUE, 768_001}) {
            InputException e = assertThrows(InputException.class, () -> Speech.of(X, rate), "rate " + rate);
            assertTrue(e.getMessage().contains(rate + " Hz"), e.getMessage());
        }
        assertThrows(InputException.class, () -> Speech.of(null, 16000));
        assertEquals(1, Speech.of(X, 1).sampleRate());
    }

    @Test
    void speechKeepsWhatItIsGiven() {
        Speech s = Speech.of(X, 22050).withTranscript(null).withSpeaker("s").withXvector(new float[]{1, 2});
        assertEquals("", s.transcript());
        assertEquals("audio", s.source());
        assertEquals("s", s.speaker());
        assertArrayEquals(new float[]{1, 2}, s.xvector());
        assertEquals(22050, s.withTranscript("hello").sampleRate());
        assertEquals("hello", s.withTranscript("hello").transcript());
        assertSame(X, Speech.of(X, 16000).samples16k(), "no resampling at the model's rate");
    }

    @Test
    void enrolmentNeedsANameAndARecording() throws Exception {
        try (EmotionRecognizer ser = EmotionRecognizer.load(write("speaker"))) {
            assertThrows(InputException.class, () -> ser.enroll(" ", Speech.of(A, 16000)));
            assertThrows(InputException.class, () -> ser.enroll(null, Speech.of(A, 16000)));
            assertThrows(InputException.class, () -> ser.enroll("s"));
            assertThrows(InputException.class, () -> ser.enroll("s", Speech.of(B, 16000), Speech.of(new float[100], 16000)), "too short");
            // nothing of the failed call was added: the speaker is still unknown
            float[] ownFrames = byHand(X, f -> SpeakerStats.of(f).normalize(f));
            assertArrayEquals(ownFrames, ser.predict(Speech.of(X, 16000).withSpeaker("s")).probabilities(), 1e-5f);
        }
    }

    @Test
    void anUnknownSpeakerNormalisationInTheModelIsAnInputException() throws Exception {
        InputException e = assertThrows(InputException.class, () -> EmotionRecognizer.load(write("global")));
        assertTrue(e.getMessage().contains("speaker_norm"), e.getMessage());
    }
}

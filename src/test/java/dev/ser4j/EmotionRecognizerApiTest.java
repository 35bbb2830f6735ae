package dev.ser4j;

import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.TrainedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The API as an application meets it, on a small seeded audio-only model written at test time: batches answer as
 * one-by-one calls do, every way of loading gives the same model, a stream gives the segments of the whole recording,
 * close() stops every caller and frees every instance, and long speech says it was truncated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmotionRecognizerApiTest {
    Path model;

    @BeforeAll
    void writeModel(@TempDir Path dir) throws Exception {
        ModelConfig cfg = ModelConfig.of(Variant.AUDIO_CNN, 0, false);
        try (CpuBackend be = new CpuBackend(); MscnnSpuAtt m = new MscnnSpuAtt(cfg, be)) {
            m.initialize(5);
            model = dir.resolve("models").resolve("audio.safetensors");
            Files.createDirectories(model.getParent());
            TrainedModel.of(m, FeatureNormalizer.identity(96), Map.of()).write(model);
        }
    }

    /** A voiced sound: a harmonic tone with a slow vibrato and a little noise, {@code seconds} long at {@code rate}. */
    static float[] voice(int rate, double seconds, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double f0 = 100 + 200 * r.nextDouble(), amp = 0.1 + 0.3 * r.nextDouble();
        float[] x = new float[(int) (rate * seconds)];
        double ph = 0;
        for (int i = 0; i < x.length; i++) {
            ph += 2 * Math.PI * f0 * (1 + 0.05 * Math.sin(2 * Math.PI * 3 * i / rate)) / rate;
            x[i] = (float) (amp * (Math.sin(ph) + 0.5 * Math.sin(2 * ph) + 0.3 * Math.sin(3 * ph)) + 0.005 * r.nextGaussian());
        }
        return x;
    }

    /** Utterances of 0.3 to 9 s separated by 0.6 to 1.5 s of quiet noise, a pause first and last. */
    static float[] recording(int rate, int utterances, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<float[]> parts = new ArrayList<>();
        for (int i = 0; i < utterances; i++) {
            parts.add(quiet(rate, 0.6 + 0.9 * r.nextDouble(), r));
            parts.add(voice(rate, 0.3 + 8.7 * r.nextDouble(), r.nextLong()));
        }
        parts.add(quiet(rate, 1, r));
        float[] x = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, x, at, p.length);
            at += p.length;
        }
        return x;
    }

    static float[] quiet(int rate, double seconds, SplittableRandom r) {
        float[] x = new float[(int) (rate * seconds)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.0005 * r.nextGaussian());
        return x;
    }

    static void assertSamePrediction(Prediction want, Prediction got, double tol, String what) {
        assertEquals(want.label(), got.label(), what);
        assertEquals(want.truncated(), got.truncated(), what);
        float[] a = want.probabilities(), b = got.probabilities();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], tol, what + ", class " + i);
    }

    @Test
    void predictAllEqualsPredictOneByOneAtEverySampleRate() {
        int[] rates = {16_000, 22_050, 44_100, 48_000};
        List<Speech> speeches = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 20; i++) {
            int rate = rates[i % rates.length];
            speeches.add(new Speech(voice(rate, 0.2 + 9.0 * r.nextDouble(), i), rate, "", null, null, "utterance " + i));
        }
        try (EmotionRecognizer ser = EmotionRecognizer.load(model)) {
            List<Prediction> batch = ser.predictAll(speeches);
            assertEquals(speeches.size(), batch.size());
            for (int i = 0; i < speeches.size(); i++)
                assertSamePrediction(ser.predict(speeches.get(i)), batch.get(i), 1e-5, speeches.get(i).source());
            assertTrue(batch.stream().anyMatch(Prediction::truncated), "some utterances are longer than 7.5 s");
            assertEquals(List.of(), ser.predictAll(List.of()));
        }
    }

    @Test
    void aStreamAndAClassPathResourceLoadTheSameModelAsTheFile() throws Exception {
        Speech s = Speech.of(voice(16_000, 2.5, 1), 16_000);
        Prediction want;
        try (EmotionRecognizer ser = EmotionRecognizer.load(model)) {
            want = ser.predict(s);
        }
        try (InputStream in = Files.newInputStream(model);
             EmotionRecognizer ser = EmotionRecognizer.load(in, "audio.safetensors", EmotionRecognizer.Options.DEFAULT)) {
            assertSamePrediction(want, ser.predict(s), 0, "from a stream");
        }
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try (URLClassLoader jar = new URLClassLoader(new URL[]{model.getParent().getParent().toUri().toURL()}, null)) {
            t.setContextClassLoader(jar);
            try (EmotionRecognizer ser = EmotionRecognizer.loadResource("models/audio.safetensors", EmotionRecognizer.Options.DEFAULT)) {
                assertSamePrediction(want, ser.predict(s), 0, "from a resource");
            }
            InputException e = assertThrows(InputException.class,
                    () -> EmotionRecognizer.loadResource("models/none.safetensors", EmotionRecognizer.Options.DEFAULT));
            assertTrue(e.getMessage().contains("models/none.safetensors"), e.getMessage());
        } finally {
            t.setContextClassLoader(before);
        }
        InputException bad = assertThrows(InputException.class,
                () -> EmotionRecognizer.load(new java.io.ByteArrayInputStream(new byte[]{1, 2, 3}), "junk.bin", EmotionRecognizer.Options.DEFAULT));
        assertTrue(bad.getMessage().contains("junk.bin"), bad.getMessage());
    }

    @Test
    void aStreamInChunksOfAnySizeGivesTheSegmentsOfTheWholeRecording() {
        for (int rate : new int[]{16_000, 44_100}) {
            float[] x = recording(rate, 8, rate);
            try (EmotionRecognizer ser = EmotionRecognizer.load(model)) {
                List<Segment> whole = ser.segments(Speech.of(x, rate));
                assertTrue(whole.size() >= 8, whole.size() + " segments of 8 utterances (a long one is cut)");
                for (Segment s : whole) assertFalse(s.prediction().truncated(), "a segment fits the model's window: " + s);
                for (long seed = 1; seed <= 3; seed++) {
                    SplittableRandom r = new SplittableRandom(seed);
                    List<Segment> got = new ArrayList<>();
                    try (EmotionRecognizer.Stream st = ser.stream(rate, got::add)) {
                        for (int i = 0; i < x.length; ) {
                            int n = Math.min(x.length - i, 1 + r.nextInt(8000));
                            float[] chunk = new float[n];
                            System.arraycopy(x, i, chunk, 0, n);
                            st.accept(chunk);
                            i += n;
                        }
                    }
                    assertEquals(whole.size(), got.size(), "seed " + seed + " at " + rate + " Hz");
                    for (int i = 0; i < whole.size(); i++) {
                        assertEquals(whole.get(i).startSeconds(), got.get(i).startSeconds(), 0, "segment " + i);
                        assertEquals(whole.get(i).endSeconds(), got.get(i).endSeconds(), 0, "segment " + i);
                        assertSamePrediction(whole.get(i).prediction(), got.get(i).prediction(), 0, "segment " + i);
                    }
                }
            }
        }
    }

    @Test
    void closeFailsEveryLaterAndWaitingCallWithinTwoSecondsAndFreesEveryInstance() throws Exception {
        EmotionRecognizer ser = EmotionRecognizer.load(model, EmotionRecognizer.Options.DEFAULT.withInstances(2));
        Speech s = Speech.of(voice(16_000, 1.0, 2), 16_000);
        int threads = 8;
        AtomicInteger predictions = new AtomicInteger();
        AtomicLong closedAt = new AtomicLong();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch each = new CountDownLatch(threads);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            ts.add(Thread.ofPlatform().daemon().name("predict-" + i).start(() -> {
                boolean counted = false;
                try {
                    while (true) {
                        ser.predict(s);
                        predictions.incrementAndGet();
                        if (!counted) each.countDown();
                        counted = true;
                    }
                } catch (IllegalStateException closed) {
                    double late = (System.nanoTime() - closedAt.get()) / 1e9;
                    if (closedAt.get() == 0) problems.add(Thread.currentThread().getName() + " failed before close(): " + closed);
                    else if (late > 2) problems.add(Thread.currentThread().getName() + " failed " + late + " s after close()");
                } catch (Throwable e) {
                    problems.add(Thread.currentThread().getName() + ": " + e);
                } finally {
                    if (!counted) each.countDown();
                }
            }));
        }
        assertTrue(each.await(60, TimeUnit.SECONDS), "every thread made a prediction");
        assertTrue(ser.openInstances() <= 2, ser.openInstances() + " instances for a recognizer of 2");
        closedAt.set(System.nanoTime());
        ser.close();
        for (Thread t : ts) {
            t.join(Math.max(1, 2000 - (System.nanoTime() - closedAt.get()) / 1_000_000) + 1000);
            assertFalse(t.isAlive(), t.getName() + " still runs after close(): it hangs");
        }
        assertEquals(List.of(), List.copyOf(problems));
        assertTrue(predictions.get() >= threads);
        assertEquals(0, ser.openInstances(), "every model instance is freed");
        assertThrows(IllegalStateException.class, () -> ser.predict(s));
        assertThrows(IllegalStateException.class, () -> ser.predictAll(List.of(s)));
        assertThrows(IllegalStateException.class, () -> ser.segments(s));
        assertThrows(IllegalStateException.class, () -> ser.stream(16_000, seg -> {}));
        assertThrows(IllegalStateException.class, () -> ser.enroll("a", s));
        ser.close();                                                          // idempotent
    }

    @Test
    void warmUpCreatesEveryInstanceAndChangesNoAnswer() {
        Speech s = Speech.of(voice(16_000, 3, 9), 16_000);
        try (EmotionRecognizer cold = EmotionRecognizer.load(model); EmotionRecognizer warm = EmotionRecognizer.load(model,
                EmotionRecognizer.Options.DEFAULT.withInstances(3))) {
            warm.warmUp();
            assertEquals(3, warm.openInstances());
            assertSamePrediction(cold.predict(s), warm.predict(s), 1e-6, "after warm-up");
            assertEquals(3, warm.openInstances(), "no instance more");
            warm.close();
            assertEquals(0, warm.openInstances());
            assertThrows(IllegalStateException.class, warm::warmUp);
        }
    }

    @Test
    void aStreamFailsOnceItsRecognizerIsClosed() {
        EmotionRecognizer ser = EmotionRecognizer.load(model);
        EmotionRecognizer.Stream st = ser.stream(16_000, seg -> {});
        st.accept(new float[1600]);
        ser.close();
        assertThrows(IllegalStateException.class, () -> st.accept(new float[1600]));
        assertEquals(0, ser.openInstances());
    }

    @Test
    void predictionIsTruncatedForTwelveSecondsOfSpeechAndNotForFive() {
        try (EmotionRecognizer ser = EmotionRecognizer.load(model)) {
            assertTrue(ser.predict(Speech.of(voice(16_000, 12, 4), 16_000)).truncated());
            assertFalse(ser.predict(Speech.of(voice(16_000, 5, 4), 16_000)).truncated());
            assertTrue(ser.predict(Speech.of(voice(44_100, 12, 4), 44_100)).truncated());
            assertFalse(ser.predict(Speech.of(voice(44_100, 5, 4), 44_100)).truncated());
        }
    }
}

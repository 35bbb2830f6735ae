package dev.ser4j.bench;

import dev.ser4j.EmotionRecognizer;
import dev.ser4j.Prediction;
import dev.ser4j.Speech;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.TrainedModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Throughput of {@link EmotionRecognizer#predictAll} (features in parallel, length-bucketed batches of 32) against a
 * loop of {@link EmotionRecognizer#predict} on one thread, for 200 synthetic utterances of 2 to 6 s at 16 kHz. A
 * plain program, not JMH: each side is one call over the whole set, repeated; the median round is reported.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp "bench/target/ser4j-bench.jar:bench/target/lib/*" dev.ser4j.bench.BatchPredictBench [MODEL.safetensors] [ROUNDS]
 * </pre>
 *
 * Without a model it writes a seeded, untrained Audio-CNN of the paper's sizes (the time does not depend on the
 * weights). A bimodal model is given no transcripts, so its text branch reads empty input.
 */
public final class BatchPredictBench {
    public static void main(String[] args) throws Exception {
        Path model = args.length > 0 ? Path.of(args[0]) : seededModel();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<Speech> speeches = utterances(200, 7);
        double seconds = speeches.stream().mapToDouble(s -> s.samples().length / (double) s.sampleRate()).sum();
        try (EmotionRecognizer ser = EmotionRecognizer.load(model)) {
            List<Speech> warm = speeches.subList(0, 32);
            ser.predictAll(warm);                                               // JIT, OpenBLAS threads, instance
            for (Speech s : warm) ser.predict(s);
            double[] batch = new double[rounds], single = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                List<Prediction> all = ser.predictAll(speeches);
                batch[r] = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                List<Prediction> one = new ArrayList<>();
                for (Speech s : speeches) one.add(ser.predict(s));
                single[r] = (System.nanoTime() - t0) / 1e9;
                if (all.size() != one.size()) throw new AssertionError(all.size() + " != " + one.size());
            }
            Arrays.sort(batch);
            Arrays.sort(single);
            double b = batch[rounds / 2], s = single[rounds / 2];
            System.out.printf("%d utterances of 2-6 s (%.0f s of audio), %s, %d processors, median of %d rounds%n", speeches.size(), seconds,
                    ser.config().variant().id, Runtime.getRuntime().availableProcessors(), rounds);
            System.out.printf("predictAll      %6.2f s  %7.1f utterances/s%n", b, speeches.size() / b);
            System.out.printf("predict (loop)  %6.2f s  %7.1f utterances/s%n", s, speeches.size() / s);
            System.out.printf("batch / single  %6.2fx%n", s / b);
        }
    }

    /** Harmonic voices with vibrato and a little noise: what the MFCC and the model cost does not depend on the content. */
    static List<Speech> utterances(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Speech> out = new ArrayList<>(n);
        for (int u = 0; u < n; u++) {
            float[] x = new float[(int) (16_000 * (2 + 4 * r.nextDouble()))];
            double f0 = 100 + 200 * r.nextDouble(), ph = 0;
            for (int i = 0; i < x.length; i++) {
                ph += 2 * Math.PI * f0 * (1 + 0.05 * Math.sin(2 * Math.PI * 3 * i / 16_000.0)) / 16_000;
                x[i] = (float) (0.2 * (Math.sin(ph) + 0.5 * Math.sin(2 * ph)) + 0.01 * r.nextGaussian());
            }
            out.add(Speech.of(x, 16_000));
        }
        return out;
    }

    static Path seededModel() throws Exception {
        Path file = Files.createTempFile("ser4j-bench-", ".safetensors");
        file.toFile().deleteOnExit();
        try (CpuBackend be = new CpuBackend(); MscnnSpuAtt m = new MscnnSpuAtt(ModelConfig.of(Variant.AUDIO_CNN, 0, false), be)) {
            m.initialize(1);
            TrainedModel.of(m, FeatureNormalizer.identity(96), Map.of()).write(file);
        }
        return file;
    }
}

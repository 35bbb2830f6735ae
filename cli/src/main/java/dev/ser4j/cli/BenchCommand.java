package dev.ser4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ser4j.EmotionRecognizer;
import dev.ser4j.audio.Audio16k;
import dev.ser4j.audio.Mfcc;
import dev.ser4j.backend.AdamHyper;
import dev.ser4j.backend.Backend;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.backend.ConvShape;
import dev.ser4j.cpu.ConvAlgorithm;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.cpu.Sgemm;
import dev.ser4j.model.Batch;
import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.TrainedModel;
import dev.ser4j.perf.TimedBackend;
import dev.ser4j.perf.Workloads;
import dev.ser4j.runtime.Versions;
import dev.ser4j.text.Vocabulary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/**
 * {@code ./ser4j bench}: the CPU numbers of issue 6 in one run, on the benchmark workload (full model with x-vector,
 * vocabulary 4000, trainable embedding, batch 64; audio ~ N(444, 306) frames clipped to [56, 750], text ~ N(15, 9)
 * tokens clipped to [1, 128]): training and inference throughput, single-utterance latency, MFCC throughput, and the
 * audio convolution's achieved GFLOP/s next to the sgemm peak measured in the same run.
 */
@Command(name = "bench", sortOptions = false, description = {"Measure training and inference speed on the CPU (about two minutes).",
        "Training and inference throughput, single-utterance latency, MFCC throughput, and the convolution's GFLOP/s against this"
                + " machine's sgemm peak."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Option(names = "--quick", description = "Fewer repetitions (a smoke test; the numbers are noisier).")
    boolean quick;

    static final long MACS_PER_AUDIO_FRAME = 96L * 128 * (5 + 7 + 9 + 11);

    @Override
    public Integer call() throws Exception {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode r = om.createObjectNode();
        r.put("date", java.time.OffsetDateTime.now().withNano(0).toString());
        r.set("machine", om.valueToTree(Versions.all()));
        log("sgemm peak ...");
        double square = sgemmGflops(2048, 2048, 2048, quick ? 2 : 4), convShaped = sgemmGflops(28_800, 512, 480, quick ? 2 : 4);
        r.putObject("sgemm").put("square_2048_gflops", square).put("conv_shaped_gflops", convShaped);

        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, 4000, true);
        Batcher batcher = new Batcher(cfg, FeatureNormalizer.identity(cfg.audioDim()));
        int n = quick ? 192 : 640;
        List<Example> examples = Workloads.examples(cfg, n, 11);
        TimedBackend.Times times = new TimedBackend.Times();
        CpuBackend cpu = new CpuBackend();
        ConvAlgorithm audioConv = cpu.convAlgorithm(new ConvShape(cfg.audioDim(), cfg.filters(), cfg.audioKernels()));
        try (Backend be = TimedBackend.wrap(cpu, times); MscnnSpuAtt model = new MscnnSpuAtt(cfg, be)) {
            model.initialize(1);
            log("training, length-bucketed batches ...");
            List<List<Example>> bucketed = batcher.epoch(examples, 64, 5);
            train(model, batcher, bucketed, times, cfg, audioConv);       // warm-up: one whole pass, so the JIT has settled
            double[] bk = train(model, batcher, bucketed, times, cfg, audioConv);
            log("training, batches padded to their own maximum ...");
            List<Example> shuffled = new ArrayList<>(examples);
            Collections.shuffle(shuffled, new Random(5));
            List<List<Example>> padded = chunks(shuffled, 64);
            double[] pd = train(model, batcher, padded, times, cfg, audioConv);
            double peak = Math.max(square, convShaped);
            r.putObject("train").put("bucketed_utterances_per_s", bk[0]).put("padded_utterances_per_s", pd[0])
                    .put("audio_conv_algorithm", audioConv.toString())
                    .put("audio_conv_gflops", bk[3]).put("audio_conv_fraction_of_sgemm_peak", bk[3] / peak)
                    .put("audio_conv_direct_equivalent_gflops", bk[1])
                    .put("audio_conv_share_of_step", bk[2])
                    .put("note", "audio_conv_gflops: the algorithm's own floating-point operations per second; "
                            + "audio_conv_direct_equivalent_gflops: the direct convolution's operation count per second of the time taken");
            log("inference, batch 64 ...");
            double inf = 0;
            for (int rep = 0; rep < 2; rep++) inf = infer(model, batcher, padded);
            r.putObject("inference").put("batch64_utterances_per_s", inf);
        }
        log("latency, one utterance of 450 frames and 15 tokens ...");
        ObjectNode lat = r.putObject("latency_ms");
        try (MscnnSpuAtt model = new MscnnSpuAtt(cfg, new CpuBackend(), false)) {
            model.initialize(1);
            Batch one = batcher.batch(List.of(Workloads.example(cfg, new SplittableRandom(3), "one", 450, 15)));
            double[] ms = repeat(quick ? 30 : 200, () -> model.forward(one.withoutLabels(), 0f, 0));
            lat.put("model_median", median(ms)).put("model_p90", p90(ms));
        }
        Path modelFile = Files.createTempFile("ser4j-bench", ".safetensors");
        try {
            List<String> words = IntStream.range(0, 3998).mapToObj(i -> "w" + i).toList();
            Vocabulary vocab = Vocabulary.build(List.of(words));
            try (MscnnSpuAtt m = new MscnnSpuAtt(cfg.withXvector(false).withVocab(vocab.size()), new CpuBackend())) {
                m.initialize(1);
                TrainedModel.of(m, FeatureNormalizer.identity(cfg.audioDim()), Map.of("vocabulary", vocab.toJson(), "xvector_kind", "none"))
                        .write(modelFile);
            }
            try (EmotionRecognizer ser = EmotionRecognizer.load(modelFile)) {
                float[] samples = signal(72_000, 7);
                String text = String.join(" ", words.subList(0, 15));
                double[] ms = repeat(quick ? 30 : 200, () -> ser.predict(samples, text));
                lat.put("wav_to_probabilities_median", median(ms)).put("wav_to_probabilities_p90", p90(ms))
                        .put("note", "wav_to_probabilities: 4.5 s of 16 kHz samples + transcript -> MFCC, tokens, model (no x-vector)");
            }
        } finally {
            Files.deleteIfExists(modelFile);
        }
        log("MFCC ...");
        r.putObject("mfcc").put("implementation", Mfcc.implementation()).put("utterances_per_s_one_thread", mfcc(1)).put("utterances_per_s_all_threads", mfcc(Runtime.getRuntime().availableProcessors()))
                .put("utterance_seconds", 4.5);
        log("resampling and features of 48 kHz recordings, resampling of 44.1 kHz ones ...");
        double[] rs = resampling(48_000);
        r.putObject("resample").put("from_hz", 48_000).put("recording_seconds", 3.7)
                .put("recordings_per_s_one_thread", rs[0]).put("mfcc_same_recordings_per_s_one_thread", rs[1])
                .put("fraction_of_mfcc_time", rs[1] / rs[0])
                .put("wav48k_features_per_s_all_threads", wavFeatures(Runtime.getRuntime().availableProcessors()))
                .put("note", "a 3.7 s recording (RAVDESS-like) resampled 48 -> 16 kHz on one thread, the MFCC of the 16 kHz "
                        + "result on one thread, and whole-file features (read, hash, parse, resample, MFCC) of 16-bit 48 kHz WAV files");
        double[] cd = resampling(44_100);
        r.putObject("resample_44k").put("from_hz", 44_100).put("recording_seconds", 3.7)
                .put("recordings_per_s_one_thread", cd[0]).put("mfcc_same_recordings_per_s_one_thread", cd[1])
                .put("fraction_of_mfcc_time", cd[1] / cd[0])
                .put("note", "a 3.7 s recording at the CD rate resampled 44.1 -> 16 kHz (160/441, the polyphase table) on one "
                        + "thread, and the MFCC of the 16 kHz result on one thread");
        if (json) System.out.println(om.writeValueAsString(r));
        else print(r);
        return 0;
    }

    private static void log(String what) {
        System.err.println("bench: " + what);
    }

    /** Best of {@code reps} sgemm GFLOP/s for an M x N x K product. */
    static double sgemmGflops(int M, int N, int K, int reps) {
        float[] a = new float[M * K], b = new float[K * N], c = new float[M * N];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextDouble();
        for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextDouble();
        double best = 0;
        for (int i = 0; i <= reps; i++) {
            long t0 = System.nanoTime();
            Sgemm.sgemm(false, false, M, N, K, 1f, a, 0, K, b, 0, N, 0f, c, 0, N);
            if (i > 0) best = Math.max(best, 2.0 * M * N * K / (System.nanoTime() - t0));
        }
        return best;
    }

    static List<List<Example>> chunks(List<Example> all, int size) {
        List<List<Example>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) out.add(all.subList(i, Math.min(all.size(), i + size)));
        return out;
    }

    /**
     * One pass of training steps: {utterances/s, audio conv GFLOP/s counted as the direct convolution's operations,
     * audio conv share of the time, audio conv GFLOP/s counted as {@code audioConv}'s own operations}.
     */
    static double[] train(MscnnSpuAtt model, Batcher batcher, List<List<Example>> batches, TimedBackend.Times times,
                          ModelConfig cfg, ConvAlgorithm audioConv) {
        ConvShape audio = new ConvShape(cfg.audioDim(), cfg.filters(), cfg.audioKernels());
        double pathFlops = 0;
        List<Batch> prepared = batches.stream().map(batcher::batch).toList();   // batching is not part of a step
        times.clear();
        long frames = 0, utts = 0, t0 = System.nanoTime();
        for (int i = 0; i < prepared.size(); i++) {
            Batch b = prepared.get(i);
            model.zeroGrad();
            model.forward(b, 0.3f, i);
            model.backward();
            model.gradNorm();
            model.adamStep(AdamHyper.paper());
            utts += b.size();
            for (int l : b.audioLen()) {
                frames += l;
                pathFlops += audioConv.trainingFlops(audio, l, false);
            }
        }
        // the audio convolution runs fused with its pooling (convStatPool*), whose time is counted with it
        double secs = (System.nanoTime() - t0) / 1e9, conv = (times.nanos("convForward(cin 96)") + times.nanos("convBackward(cin 96)")
                + times.nanos("convStatPoolForward(cin 96)") + times.nanos("convStatPoolBackward(cin 96)")) / 1e9;
        return new double[]{utts / secs, 2.0 * 2 * frames * MACS_PER_AUDIO_FRAME / conv / 1e9, conv / secs, pathFlops / conv / 1e9};
    }

    static double infer(MscnnSpuAtt model, Batcher batcher, List<List<Example>> batches) {
        List<Batch> prepared = batches.stream().map(b -> batcher.batch(b).withoutLabels()).toList();
        long utts = 0, t0 = System.nanoTime();
        for (Batch b : prepared) {
            model.forward(b, 0f, 0);
            model.probabilities();
            utts += b.size();
        }
        return utts / ((System.nanoTime() - t0) / 1e9);
    }

    static double[] repeat(int n, Runnable r) {
        for (int i = 0; i < Math.max(10, n / 4); i++) r.run();                 // warm-up
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    static double p90(double[] sorted) {
        return sorted[(int) Math.ceil(0.9 * sorted.length) - 1];
    }

    static float[] signal(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] s = new float[n];
        for (int i = 0; i < n; i++) s[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / 16000.0) * Math.sin(Math.PI * i / n) + 0.05 * rng.nextGaussian());
        return s;
    }

    /** {resamplings/s, MFCCs/s} of a 3.7 s recording at {@code rate} Hz and of its 16 kHz result, one thread, interleaved. */
    double[] resampling(int rate) {
        float[] x = signalAt(rate, (int) (3.7 * rate), 5);
        Mfcc m = new Mfcc();
        float[] y = Audio16k.toModelRate(x, rate);
        int warm = quick ? 30 : 100, n = quick ? 60 : 300;
        for (int i = 0; i < warm; i++) m.features("bench", Audio16k.toModelRate(x, rate));
        long resample = 0, mfcc = 0;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Audio16k.toModelRate(x, rate);
            long t1 = System.nanoTime();
            m.features("bench", y);
            mfcc += System.nanoTime() - t1;
            resample += t1 - t0;
        }
        return new double[]{n / (resample / 1e9), n / (mfcc / 1e9)};
    }

    /** A speech-like signal at {@code rate} Hz: the 16 kHz bench signal's tone and noise, at that rate. */
    static float[] signalAt(int rate, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] s = new float[n];
        for (int i = 0; i < n; i++) s[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / (double) rate) * Math.sin(Math.PI * i / n) + 0.05 * rng.nextGaussian());
        return s;
    }

    /**
     * Whole-file features of 16-bit 48 kHz WAV files of 3.7 s (as a data set's first pass computes them: read, hash,
     * parse, resample, MFCC; no cache), files/s on {@code threads} threads.
     */
    double wavFeatures(int threads) throws java.io.IOException {
        Path dir = Files.createTempDirectory("ser4j-bench-wav");
        try {
            int files = 32;
            List<Path> paths = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                Path p = dir.resolve("r" + i + ".wav");
                dev.ser4j.audio.Wav.writePcm16(p, signalAt(48_000, 177_600, 100 + i), 48_000);
                paths.add(p);
            }
            dev.ser4j.pipeline.FeatureCache cache = new dev.ser4j.pipeline.FeatureCache(null);
            ThreadLocal<Mfcc> m = ThreadLocal.withInitial(Mfcc::new);
            int rounds = quick ? 2 : 8;
            try (var pool = new java.util.concurrent.ForkJoinPool(threads)) {
                pool.submit(() -> paths.parallelStream().forEach(p -> cache.features(p, m.get()))).join();      // warm-up
                long t0 = System.nanoTime();
                for (int r = 0; r < rounds; r++) pool.submit(() -> paths.parallelStream().forEach(p -> cache.features(p, m.get()))).join();
                return rounds * files / ((System.nanoTime() - t0) / 1e9);
            }
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
    }

    /** MFCC utterances/s for 4.5 s utterances on {@code threads} threads (about 2 s of work after a warm-up). */
    double mfcc(int threads) {
        float[] x = signal(72_000, 9);
        ThreadLocal<Mfcc> m = ThreadLocal.withInitial(Mfcc::new);
        int warm = quick ? 50 : 200, n = (quick ? 200 : 1200) * threads;
        IntStream.range(0, warm).forEach(i -> m.get().features("bench", x));
        try (var pool = new java.util.concurrent.ForkJoinPool(threads)) {
            long t0 = System.nanoTime();
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(i -> m.get().features("bench", x))).join();
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static void print(ObjectNode r) {
        var s = r.get("sgemm");
        var t = r.get("train");
        var l = r.get("latency_ms");
        var m = r.get("mfcc");
        System.out.printf(Locale.ROOT, """
                ser4j bench — %s
                machine: %s, %s cpus, %s
                %-60s %10s
                %-60s %10.0f
                %-60s %10.0f
                %-60s %10.0f
                %-60s %10.0f
                %-60s %10.0f   (%s: %.0f%% of the sgemm peak; %.0f direct-equivalent; %.0f%% of a step)
                %-60s %10.2f / %.2f
                %-60s %10.2f / %.2f
                %-60s %10.0f
                %-60s %10.0f
                %-60s %10.0f   (%.0f%% of the MFCC's time on the same recording)
                %-60s %10.0f   (%.0f%% of the MFCC's time on the same recording)
                %-60s %10.0f
                MFCC code: %s
                """, r.get("date").asText(), r.get("machine").get("java").asText(), r.get("machine").get("cpus").asText(),
                r.get("machine").get("sgemm").asText(),
                "measure", "value",
                "training, length-bucketed batches (utterances/s)", t.get("bucketed_utterances_per_s").asDouble(),
                "training, batches padded to own maximum (utterances/s)", t.get("padded_utterances_per_s").asDouble(),
                "inference, batch 64 (utterances/s)", r.get("inference").get("batch64_utterances_per_s").asDouble(),
                "sgemm peak, 2048^3 (GFLOP/s)", Math.max(s.get("square_2048_gflops").asDouble(), s.get("conv_shaped_gflops").asDouble()),
                "audio convolution (+ its fused pooling) in training (GFLOP/s)", t.get("audio_conv_gflops").asDouble(),
                t.get("audio_conv_algorithm").asText(), 100 * t.get("audio_conv_fraction_of_sgemm_peak").asDouble(),
                t.get("audio_conv_direct_equivalent_gflops").asDouble(), 100 * t.get("audio_conv_share_of_step").asDouble(),
                "latency, model only, median / p90 (ms)", l.get("model_median").asDouble(), l.get("model_p90").asDouble(),
                "latency, WAV samples to probabilities, median / p90 (ms)", l.get("wav_to_probabilities_median").asDouble(),
                l.get("wav_to_probabilities_p90").asDouble(),
                "MFCC, 4.5 s utterances, one thread (utterances/s)", m.get("utterances_per_s_one_thread").asDouble(),
                "MFCC, 4.5 s utterances, all threads (utterances/s)", m.get("utterances_per_s_all_threads").asDouble(),
                "resampling 3.7 s 48 kHz -> 16 kHz, one thread (recordings/s)", r.get("resample").get("recordings_per_s_one_thread").asDouble(),
                100 * r.get("resample").get("fraction_of_mfcc_time").asDouble(),
                "resampling 3.7 s 44.1 kHz -> 16 kHz, one thread (recordings/s)", r.get("resample_44k").get("recordings_per_s_one_thread").asDouble(),
                100 * r.get("resample_44k").get("fraction_of_mfcc_time").asDouble(),
                "features of 3.7 s 48 kHz WAV files, all threads (files/s)", r.get("resample").get("wav48k_features_per_s_all_threads").asDouble(),
                m.get("implementation").asText());
    }
}

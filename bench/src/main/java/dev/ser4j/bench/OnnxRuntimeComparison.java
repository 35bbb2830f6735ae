package dev.ser4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Pooling;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.cpu.Sgemm;
import dev.ser4j.model.Batch;
import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.TrainedModel;
import dev.ser4j.onnx.OnnxExport;
import dev.ser4j.perf.Workloads;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * ONNX Runtime (CPU execution provider, all graph optimisations, one intra-op thread per CPU) running the exported
 * graph, beside ser4j's CPU forward, on {@code ./ser4j bench}'s workload (MSCNN-SPU-ATT with x-vector at the paper's
 * sizes, vocabulary 4000): the latency of one utterance of 450 frames and 15 tokens, and the throughput of batches of 64
 * (IEMOCAP-like lengths, 640 utterances; each batch padded to its own longest utterance, or with lengths sorted first).
 * The two engines alternate in rounds so that a busy machine slows both alike; medians over all rounds. Also prints
 * the exported graphs' sizes at the paper's sizes. Run:
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp "bench/target/ser4j-bench.jar:bench/target/lib/*" dev.ser4j.bench.OnnxRuntimeComparison [rounds]
 * </pre>
 */
public final class OnnxRuntimeComparison {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        sizes();
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, 4000, true);
        TrainedModel tm;
        try (MscnnSpuAtt m = new MscnnSpuAtt(cfg, new CpuBackend(), false)) {
            m.initialize(1);
            tm = TrainedModel.of(m, FeatureNormalizer.identity(cfg.audioDim()), Map.of());
        }
        byte[] onnx = OnnxExport.export(tm, "bench").bytes();
        Batcher batcher = new Batcher(cfg, tm.normalizer());
        Batch one = batcher.batch(List.of(Workloads.example(cfg, new SplittableRandom(3), "one", 450, 15))).withoutLabels();
        List<Example> examples = Workloads.examples(cfg, 640, 11);
        List<Example> shuffled = new ArrayList<>(examples);
        Collections.shuffle(shuffled, new Random(5));
        List<Batch> padded = new ArrayList<>(), sorted = new ArrayList<>();
        for (int i = 0; i < shuffled.size(); i += 64) padded.add(batcher.batch(shuffled.subList(i, Math.min(shuffled.size(), i + 64))).withoutLabels());
        for (List<Example> b : batcher.sequential(examples, 64)) sorted.add(batcher.batch(b).withoutLabels());

        int cpus = Runtime.getRuntime().availableProcessors();
        System.out.printf("machine: %d CPUs; %s; ONNX Runtime %s (CPU execution provider, all graph optimisations, %d intra-op threads)%n",
                cpus, Sgemm.describe(), ENV.getVersion(), cpus);
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(cpus);                 // as many as ser4j's pool and OpenBLAS use
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        try (MscnnSpuAtt model = tm.instantiate(new CpuBackend(), false); OrtSession session = ENV.createSession(onnx, options)) {
            Engine ser4j = b -> {
                model.forward(b, 0f, 0);
                return model.probabilities();
            };
            Engine ort = b -> run(session, b, cfg);
            float[] a = ser4j.run(one), o = ort.run(one);
            for (int i = 0; i < a.length; i++)
                if (Math.abs(a[i] - o[i]) > 1e-5) throw new IllegalStateException("the engines disagree: " + Arrays.toString(a) + " vs " + Arrays.toString(o));
            Map<String, List<Double>> ms = new LinkedHashMap<>();
            for (int r = 0; r < rounds; r++) {
                for (var e : Map.of("ser4j", ser4j, "onnxruntime", ort).entrySet()) {
                    for (int i = 0; i < 10; i++) e.getValue().run(one);                                  // warm-up
                    for (int i = 0; i < 40; i++) {
                        long t0 = System.nanoTime();
                        e.getValue().run(one);
                        ms.computeIfAbsent("latency " + e.getKey(), k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1e6);
                    }
                    for (var set : Map.of("padded", padded, "sorted", sorted).entrySet()) {
                        e.getValue().run(set.getValue().getFirst());
                        long t0 = System.nanoTime();
                        int utts = 0;
                        for (Batch b : set.getValue()) {
                            e.getValue().run(b);
                            utts += b.size();
                        }
                        ms.computeIfAbsent("throughput " + set.getKey() + " " + e.getKey(), k -> new ArrayList<>())
                                .add(utts / ((System.nanoTime() - t0) / 1e9));
                    }
                }
                System.err.printf("round %d of %d done%n", r + 1, rounds);
            }
            System.out.printf("%nlatency, batch 1, 450 frames, 15 tokens (ms; median, p10-p90 of %d):%n", rounds * 40);
            for (String eng : List.of("ser4j", "onnxruntime")) print("  " + eng, ms.get("latency " + eng));
            System.out.printf("throughput, batches of 64 (utterances/s; median, min-max of %d passes over 640 utterances):%n", rounds);
            for (String set : List.of("padded", "sorted"))
                for (String eng : List.of("ser4j", "onnxruntime")) print("  " + set + " " + eng, ms.get("throughput " + set + " " + eng));
        }
    }

    interface Engine {
        float[] run(Batch b) throws Exception;
    }

    static float[] run(OrtSession s, Batch b, ModelConfig cfg) throws OrtException {
        long[] al = new long[b.size()], tl = new long[b.size()], tok = new long[b.tokens().length];
        for (int i = 0; i < b.size(); i++) {
            al[i] = b.audioLen()[i];
            tl[i] = b.textLen()[i];
        }
        for (int i = 0; i < tok.length; i++) tok[i] = b.tokens()[i];
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        in.put("audio", OnnxTensor.createTensor(ENV, FloatBuffer.wrap(b.audio()), new long[]{b.size(), b.frames(), cfg.audioDim()}));
        in.put("audio_len", OnnxTensor.createTensor(ENV, LongBuffer.wrap(al), new long[]{b.size()}));
        in.put("tokens", OnnxTensor.createTensor(ENV, LongBuffer.wrap(tok), new long[]{b.size(), b.maxTokens()}));
        in.put("text_len", OnnxTensor.createTensor(ENV, LongBuffer.wrap(tl), new long[]{b.size()}));
        in.put("xvector", OnnxTensor.createTensor(ENV, FloatBuffer.wrap(b.xvector()), new long[]{b.size(), cfg.xvectorDim()}));
        try (OrtSession.Result r = s.run(in)) {
            float[][] p = (float[][]) r.get("probabilities").orElseThrow().getValue();
            float[] out = new float[p.length * p[0].length];
            for (int i = 0; i < p.length; i++) System.arraycopy(p[i], 0, out, i * p[0].length, p[0].length);
            return out;
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    static void print(String what, List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("%-28s %8.2f   (%.2f - %.2f)%n", what, s[s.length / 2], s[s.length / 10], s[Math.max(0, (int) Math.ceil(0.9 * s.length) - 1)]);
    }

    /** The exported graph of every variant and ablation at the paper's sizes (vocabulary 4000): bytes, nodes. */
    static void sizes() {
        System.out.println("exported graphs at the paper's sizes (vocabulary 4000; the embedding is 4.8 MB of each text model):");
        Map<String, ModelConfig> configs = new LinkedHashMap<>();
        for (Variant v : Variant.values()) {
            ModelConfig c = ModelConfig.of(v, 4000, true);
            configs.put(v.id + (c.xvector() && v != Variant.AUDIO_CNN_XVECTOR ? " (x-vector)" : ""), c);
            if (v == Variant.MSCNN_SPU_ATT) {
                configs.put(v.id + " --no-xvector", c.withXvector(false));
                configs.put(v.id + " --audio-pooling max", c.withAudioPooling(Pooling.MAX));
                configs.put(v.id + " --text-pooling max", c.withTextPooling(Pooling.MAX));
                configs.put(v.id + " --no-swem", c.withSwem(false));
            }
        }
        configs.forEach((name, c) -> {
            try (MscnnSpuAtt m = new MscnnSpuAtt(c, new CpuBackend(), false)) {
                m.initialize(1);
                OnnxExport.Exported e = OnnxExport.export(TrainedModel.of(m, FeatureNormalizer.identity(c.audioDim()), Map.of()), "sizes");
                System.out.printf("  %-38s %,12d bytes  %3d nodes  %,10d parameters%n", name, e.model().getSerializedSize(), e.nodeCount(), c.parameterCount());
            }
        });
    }
}

package dev.ser4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ser4j.backend.AdamHyper;
import dev.ser4j.backend.Backend;
import dev.ser4j.check.ParityChecks;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.cuda.CudaBackend;
import dev.ser4j.cuda.CudaRuntime;
import dev.ser4j.io.AtomicFiles;
import dev.ser4j.model.Batch;
import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.perf.Workloads;
import dev.ser4j.runtime.Versions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code ./ser4j gpu-check}: the CPU-vs-CUDA parity checks of every op and the whole-model twins (the checks the
 * {@code *CudaParityTest} suite runs), then the GPU benchmark on {@code ./ser4j bench}'s workload: training
 * throughput on length-bucketed and on padded batches of 64, inference throughput at batch 64, and single-utterance
 * latency (450 frames, 15 tokens). With {@code --out} it also writes the parity table, the results as JSON (the keys
 * of {@code ./ser4j bench --json}) and the very utterances and batches it used, which {@code bench/pytorch_bench.py
 * --device cuda --workload} replays through PyTorch. Exit status: 0 every check passed, 1 a check failed,
 * {@value #EXIT_NO_GPU} no usable GPU here (one line on stderr says why).
 */
@Command(name = "gpu-check", sortOptions = false, description = {"Check the CUDA backend against the CPU, op by op and on whole models, and benchmark it.",
        "Exits 0 when every check passed, 1 when a check failed, 3 when no GPU is usable here (saying why)."})
public final class GpuCheckCommand implements Callable<Integer> {
    /** Exit status where CUDA is unusable (no driver, no GPU, a library missing). */
    public static final int EXIT_NO_GPU = 3;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write parity.txt, ser4j-gpu.json and workload.json (the benchmark's utterances and batches) here.")
    Path out;

    @Option(names = "--quick", description = "192 utterances and one timed pass instead of 640 and three; 50 latency runs instead of 200.")
    boolean quick;

    @Option(names = "--dry-run", description = "Run every check and the benchmark with the CPU backend in place of CUDA, on a tiny workload: "
            + "tests the harness (and a device bundle's runtime) where there is no GPU; the numbers mean nothing.")
    boolean dryRun;

    @Option(names = "--allow-tf32", description = "Let cuBLAS and cuDNN use TF32 tensor cores (parity tolerances are for TF32 off).")
    boolean allowTf32;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the parity checks' random inputs (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        if (!dryRun) {
            Optional<String> why = CudaRuntime.whyUnusable();
            if (why.isPresent()) {
                System.err.println("ser4j gpu-check: CUDA is not usable here: " + why.get());
                return EXIT_NO_GPU;
            }
        }
        if (out != null) Files.createDirectories(out);
        String device = dryRun ? "the CPU backend in place of CUDA (--dry-run)"
                : CudaRuntime.report().gpus().getFirst() + ", " + CudaRuntime.report().driver();
        try (Backend gpu = dryRun ? new CpuBackend() : new CudaBackend(new CudaBackend.Options(0, allowTf32))) {
            System.out.println("Device: " + device);
            List<String> parity = new ArrayList<>();
            parity.add("Parity, CPU vs " + (dryRun ? "CPU (--dry-run)" : "CUDA") + " (error = max|cpu-gpu| / max|cpu|; seed " + seed
                    + ", TF32 " + (allowTf32 ? "on" : "off") + "):");
            List<ParityChecks.Result> results = ParityChecks.all(gpu, seed);
            results.forEach(r -> parity.add("  " + r));
            long failed = results.stream().filter(r -> !r.passed()).count();
            parity.add(String.format(Locale.ROOT, "%d checks, %d failed%s", results.size(), failed,
                    failed == 0 ? "" : ": " + results.stream().filter(r -> !r.passed()).map(r -> r.op() + " " + r.tensor())
                            .collect(Collectors.joining("; "))));
            parity.forEach(System.out::println);
            System.out.println();
            if (out != null) AtomicFiles.writeString(out.resolve("parity.txt"), String.join("\n", parity) + "\n");
            benchmark(gpu, device);
            return failed == 0 ? 0 : 1;
        }
    }

    /** The benchmark workload of {@code ./ser4j bench}, its results printed as a table and written as JSON. */
    private void benchmark(Backend gpu, String device) throws IOException {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, 4000, true);
        Batcher batcher = new Batcher(cfg, FeatureNormalizer.identity(cfg.audioDim()));
        int n = dryRun ? 64 : quick ? 192 : 640, passes = dryRun || quick ? 1 : 3, latencyRuns = dryRun ? 5 : quick ? 50 : 200;
        List<Example> examples = Workloads.examples(cfg, n, 11);
        List<List<Example>> bucketed = batcher.epoch(examples, 64, 5);
        List<Example> shuffled = new ArrayList<>(examples);
        Collections.shuffle(shuffled, new Random(5));
        List<List<Example>> padded = BenchCommand.chunks(shuffled, 64);
        if (out != null)
            AtomicFiles.writeString(out.resolve("workload.json"), om.writeValueAsString(Workloads.describe(om, examples, bucketed, padded)));

        ObjectNode r = om.createObjectNode();
        r.put("date", java.time.OffsetDateTime.now().withNano(0).toString());
        r.put("device", device);
        r.put("backend", dryRun ? "cpu (dry run)" : "cuda");
        r.put("tf32", allowTf32);
        r.set("machine", om.valueToTree(Versions.all()));
        CudaRuntime.Report cuda = CudaRuntime.report();
        r.putObject("cuda").put("runtime", cuda.runtime()).put("driver", cuda.driver()).put("cublas", cuda.cublas())
                .put("cudnn", cuda.cudnn()).put("kernels", cuda.kernels());
        r.putObject("workload").put("source", "ser4j's own: Workloads.examples, Batcher.epoch (as ./ser4j bench)").put("utterances", n)
                .put("bucketed_batches", bucketed.size()).put("padded_batches", padded.size()).put("timed_passes", passes)
                .put("value", "median of the timed passes, after one warm-up pass")
                .put("timing", "host batches in (uploaded inside each step), loss and gradient norm read back every step; the GPU is synchronised before each clock reading");
        List<Batch> bk = bucketed.stream().map(batcher::batch).toList(), pd = padded.stream().map(batcher::batch).toList();
        List<Batch> inf = padded.stream().map(b -> batcher.batch(b).withoutLabels()).toList();
        try (MscnnSpuAtt model = new MscnnSpuAtt(cfg, gpu)) {
            model.initialize(1);
            log("training, length-bucketed batches ...");
            double[] bkRates = passes(passes, () -> trainPass(model, bk, gpu));
            log("training, batches padded to their own maximum ...");
            double[] pdRates = passes(passes, () -> trainPass(model, pd, gpu));
            r.putObject("train").put("bucketed_utterances_per_s", median(bkRates)).put("padded_utterances_per_s", median(pdRates))
                    .putPOJO("bucketed_passes", bkRates).putPOJO("padded_passes", pdRates);
            log("inference, batch 64 ...");
            double[] infRates = passes(passes, () -> inferPass(model, inf));
            r.putObject("inference").put("batch64_utterances_per_s", median(infRates)).putPOJO("passes", infRates);
        }
        log("latency, one utterance of 450 frames and 15 tokens ...");
        try (MscnnSpuAtt model = new MscnnSpuAtt(cfg, gpu, false)) {
            model.initialize(1);
            Batch one = batcher.batch(List.of(Workloads.example(cfg, new SplittableRandom(3), "one", 450, 15))).withoutLabels();
            double[] ms = BenchCommand.repeat(latencyRuns, () -> {
                model.forward(one, 0f, 0);
                model.probabilities();          // read back: the GPU has finished
            });
            r.putObject("latency_ms").put("model_median", BenchCommand.median(ms)).put("model_p90", BenchCommand.p90(ms)).put("runs", latencyRuns)
                    .put("note", "model only, host features in, probabilities read back, one utterance of 450 frames and 15 tokens");
        }
        print(r);
        if (out != null) AtomicFiles.writeString(out.resolve("ser4j-gpu.json"), om.writeValueAsString(r) + "\n");
    }

    private static void log(String what) {
        System.err.println("gpu-check: " + what);
    }

    /** One warm-up pass (cuDNN plans and allocations for every shape), then {@code n} timed passes: utterances/s each. */
    private static double[] passes(int n, java.util.function.DoubleSupplier pass) {
        pass.getAsDouble();
        double[] rates = new double[n];
        for (int i = 0; i < n; i++) rates[i] = pass.getAsDouble();
        return rates;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** One pass of training steps as the trainer takes them; utterances/s. */
    private static double trainPass(MscnnSpuAtt model, List<Batch> batches, Backend gpu) {
        long utts = 0, t0 = System.nanoTime();
        for (int i = 0; i < batches.size(); i++) {
            Batch b = batches.get(i);
            model.zeroGrad();
            model.forward(b, model.config().dropout(), i);
            model.backward();
            model.gradNorm();
            model.adamStep(AdamHyper.paper());
            utts += b.size();
        }
        if (gpu instanceof CudaBackend c) c.synchronize();
        return utts / ((System.nanoTime() - t0) / 1e9);
    }

    /** One pass of batch inference, probabilities read back; utterances/s. */
    private static double inferPass(MscnnSpuAtt model, List<Batch> batches) {
        long utts = 0, t0 = System.nanoTime();
        for (Batch b : batches) {
            model.forward(b, 0f, 0);
            model.probabilities();
            utts += b.size();
        }
        return utts / ((System.nanoTime() - t0) / 1e9);
    }

    private static void print(ObjectNode r) {
        var t = r.get("train");
        var l = r.get("latency_ms");
        System.out.printf(Locale.ROOT, """
                Benchmark on %s (MSCNN-SPU-ATT, x-vector, vocabulary 4000, %s utterances, TF32 %s):
                  %-62s %10s
                  %-62s %10.1f
                  %-62s %10.1f
                  %-62s %10.1f
                  %-62s %10.2f
                  %-62s %10.2f
                """, r.get("device").asText(), r.get("workload").get("utterances").asText(), r.get("tf32").asBoolean() ? "on" : "off",
                "measure", "value",
                "training, length-bucketed batches of 64 (utterances/s)", t.get("bucketed_utterances_per_s").asDouble(),
                "training, batches of 64 padded to own maximum (utterances/s)", t.get("padded_utterances_per_s").asDouble(),
                "inference, batch 64 (utterances/s)", r.get("inference").get("batch64_utterances_per_s").asDouble(),
                "latency, 1 utterance (450 frames, 15 tokens), median (ms)", l.get("model_median").asDouble(),
                "latency, 1 utterance, p90 (ms)", l.get("model_p90").asDouble());
    }
}

package dev.ser4j.cli;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.check.ParityChecks;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cuda.CudaBackend;
import dev.ser4j.cuda.CudaRuntime;
import dev.ser4j.model.Batch;
import dev.ser4j.model.MscnnSpuAtt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code ./ser4j gpu-check}: the CPU-vs-CUDA parity checks of every op and of the whole model (the checks the
 * {@code *CudaParityTest} suite runs), then GPU benchmarks: training utterances per second at batch 64 with
 * about 450 frames and 15 tokens, and single-utterance inference latency. Without a usable GPU it says why and
 * exits 1.
 */
@Command(name = "gpu-check", description = {"Check the CUDA backend against the CPU, op by op and on the whole model, and benchmark it.",
        "Exits 1 when CUDA is unusable here or a check fails."})
public final class GpuCheckCommand implements Callable<Integer> {
    @Option(names = "--allow-tf32", description = "Let cuBLAS and cuDNN use TF32 tensor cores (parity tolerances are for TF32 off).")
    boolean allowTf32;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the random inputs (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--steps", defaultValue = "20", description = "Timed training steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Override
    public Integer call() {
        Optional<String> why = CudaRuntime.whyUnusable();
        if (why.isPresent()) {
            System.err.println("ser4j gpu-check: CUDA is not usable here: " + why.get());
            return 1;
        }
        try (CudaBackend gpu = new CudaBackend(new CudaBackend.Options(0, allowTf32))) {
            System.out.println("Parity, CPU vs CUDA (error = max|cpu-gpu| / max|cpu|):");
            List<ParityChecks.Result> results = ParityChecks.all(gpu, seed);
            results.forEach(r -> System.out.println("  " + r));
            long failed = results.stream().filter(r -> !r.passed()).count();
            System.out.printf("%d checks, %d failed%n%n", results.size(), failed);
            benchmark(gpu);
            return failed == 0 ? 0 : 1;
        }
    }

    private void benchmark(CudaBackend gpu) {
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, 5000, true);
        SplittableRandom rng = new SplittableRandom(seed);
        Batch train = ParityChecks.batch(cfg, rng, 64, 450, 15);
        Batch one = ParityChecks.batch(cfg, rng, 1, 450, 15);
        try (MscnnSpuAtt m = new MscnnSpuAtt(cfg, gpu)) {
            m.initialize(seed);
            AdamHyper h = AdamHyper.paper();
            for (int i = 0; i < 3; i++) step(m, train, h, i);             // warm-up: cuDNN algorithm search, allocations
            gpu.synchronize();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) step(m, train, h, i);
            gpu.synchronize();
            double trainS = (System.nanoTime() - t0) / 1e9;
            for (int i = 0; i < 3; i++) m.forward(one, 0f, 0);
            double[] ms = new double[50];
            for (int i = 0; i < ms.length; i++) {
                long s = System.nanoTime();
                m.forward(one, 0f, 0);
                m.probabilities();
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
            Arrays.sort(ms);
            System.out.println("Benchmark (" + cfg.variant().paperName + ", x-vector, TF32 " + (allowTf32 ? "on" : "off") + "):");
            System.out.printf("  %-44s %10s%n", "measure", "value");
            System.out.printf("  %-44s %10.1f%n", "training, batch 64 x 450 frames x 15 tokens: utt/s", steps * 64 / trainS);
            System.out.printf("  %-44s %10.2f%n", "training step (ms)", trainS * 1000 / steps);
            System.out.printf("  %-44s %10.2f%n", "inference, 1 utterance, median latency (ms)", ms[ms.length / 2]);
            System.out.printf("  %-44s %10.2f%n", "inference, 1 utterance, p90 latency (ms)", ms[ms.length * 9 / 10]);
        }
    }

    private static void step(MscnnSpuAtt m, Batch b, AdamHyper h, int i) {
        m.zeroGrad();
        m.forward(b, m.config().dropout(), i);
        m.backward();
        m.adamStep(h);
    }
}

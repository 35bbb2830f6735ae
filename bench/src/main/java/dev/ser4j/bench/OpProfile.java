package dev.ser4j.bench;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.backend.Backend;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.cpu.Sgemm;
import dev.ser4j.model.Batch;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.perf.TimedBackend;
import dev.ser4j.perf.Workloads;


/**
 * Where a training step's time goes: wraps a backend in a proxy that times every op, runs steps of the
 * benchmark workload and prints milliseconds per step by op. Run: {@code java ... dev.ser4j.bench.OpProfile [steps]
 * [random|latency]}; {@code latency} times the forward pass of {@code ./ser4j bench}'s latency instead (one utterance of
 * 450 frames and 15 tokens, no labels, no dropout).
 */
public final class OpProfile {
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        boolean random = args.length > 1 && args[1].equals("random");     // IEMOCAP-like lengths, padded to the batch maximum
        boolean latency = args.length > 1 && args[1].equals("latency");
        TimedBackend.Times times = new TimedBackend.Times();
        Backend timed = TimedBackend.wrap(new CpuBackend(), times);
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, 4000, true);
        MscnnSpuAtt model = new MscnnSpuAtt(cfg, timed);
        model.initialize(1);
        Batch batch = latency ? Workloads.uniformBatch(cfg, 1, 450, 450, 15, 15, 7).withoutLabels()
                : random ? Workloads.batch(cfg, Workloads.lengths(64, 3), 4) : Workloads.uniformBatch(cfg, 64, 400, 500, 10, 20, 7);
        System.out.printf("batch: %d utterances, padded to %d frames and %d tokens%n", batch.size(), batch.frames(), batch.maxTokens());
        java.util.function.IntConsumer once = latency ? s -> model.forward(batch, 0f, 0) : s -> step(model, batch, s);
        for (int w = 0; w < (latency ? 200 : 3); w++) once.accept(w);
        times.clear();
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) once.accept(s);
        double total = (System.nanoTime() - t0) / 1e6 / steps;
        System.out.printf("%s%n%s: %.2f ms (%.0f utterances/s)%n", Sgemm.describe(), latency ? "forward" : "step", total, batch.size() / total * 1000);
        times.byOp.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
                .forEach(e -> System.out.printf("  %-32s %7.2f ms  %5.1f%%%n", e.getKey(), e.getValue()[0] / 1e6 / steps,
                        100 * e.getValue()[0] / 1e6 / steps / total));
    }

    private static void step(MscnnSpuAtt model, Batch batch, long s) {
        model.zeroGrad();
        model.forward(batch, 0.3f, s);
        model.backward();
        model.gradNorm();
        model.adamStep(AdamHyper.paper());
    }
}

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
 * benchmark workload and prints milliseconds per step by op. Run: {@code java ... dev.ser4j.bench.OpProfile [steps]}.
 */
public final class OpProfile {
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        boolean random = args.length > 1 && args[1].equals("random");     // IEMOCAP-like lengths, padded to the batch maximum
        TimedBackend.Times times = new TimedBackend.Times();
        Backend timed = TimedBackend.wrap(new CpuBackend(), times);
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, 4000, true);
        MscnnSpuAtt model = new MscnnSpuAtt(cfg, timed);
        model.initialize(1);
        Batch batch = random ? Workloads.batch(cfg, Workloads.lengths(64, 3), 4) : Workloads.uniformBatch(cfg, 64, 400, 500, 10, 20, 7);
        System.out.printf("batch: 64 utterances, padded to %d frames and %d tokens%n", batch.frames(), batch.maxTokens());
        for (int w = 0; w < 3; w++) step(model, batch, w);
        times.clear();
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) step(model, batch, s);
        double total = (System.nanoTime() - t0) / 1e6 / steps;
        System.out.printf("%s%nstep: %.1f ms (%.0f utterances/s)%n", Sgemm.describe(), total, 64 / total * 1000);
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

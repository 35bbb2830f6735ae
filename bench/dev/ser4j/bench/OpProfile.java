package dev.ser4j.bench;

import dev.ser4j.ModelConfig;
import dev.ser4j.Variant;
import dev.ser4j.backend.AdamHyper;
import dev.ser4j.backend.Backend;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.cpu.Sgemm;
import dev.ser4j.model.Batch;
import dev.ser4j.model.MscnnSpuAtt;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a training step's time goes: wraps a backend in a proxy that times every op, runs steps of the
 * benchmark workload and prints milliseconds per step by op. Run: {@code java ... dev.ser4j.bench.OpProfile [steps]}.
 */
public final class OpProfile {
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        boolean random = args.length > 1 && args[1].equals("random");     // IEMOCAP-like lengths, padded to the batch maximum
        Map<String, long[]> time = new TreeMap<>();
        CpuBackend cpu = new CpuBackend();
        Backend timed = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class}, (p, m, a) -> {
            long t0 = System.nanoTime();
            try {
                return m.invoke(cpu, a);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                String key = m.getName() + (m.getName().startsWith("conv") ? "(" + a[0].toString().replaceAll(".*cin=(\\d+).*", "cin $1") + ")" : "");
                time.computeIfAbsent(key, k -> new long[2])[0] += System.nanoTime() - t0;
                time.get(key)[1]++;
            }
        });
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, 4000, true);
        MscnnSpuAtt model = new MscnnSpuAtt(cfg, timed);
        model.initialize(1);
        Batch batch = random ? Workloads.batch(cfg, Workloads.lengths(64, 3), 4) : Workloads.uniformBatch(cfg, 64, 400, 500, 10, 20, 7);
        System.out.printf("batch: 64 utterances, padded to %d frames and %d tokens%n", batch.frames(), batch.maxTokens());
        for (int w = 0; w < 3; w++) step(model, batch, w);
        time.clear();
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) step(model, batch, s);
        double total = (System.nanoTime() - t0) / 1e6 / steps;
        System.out.printf("%s%nstep: %.1f ms (%.0f utterances/s)%n", Sgemm.describe(), total, 64 / total * 1000);
        time.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
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

package dev.ser4j.bench;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.model.Batch;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.perf.Workloads;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Memory over a long training run (issue 7): heap after a full GC, resident set size, the JVM's committed native
 * memory (run with -XX:NativeMemoryTracking=summary) and the bytes allocated per step, every 50 steps.
 * Run: {@code java -XX:NativeMemoryTracking=summary ... dev.ser4j.bench.MemoryProbe [steps]}.
 */
public final class MemoryProbe {
    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, 4000, true);
        MscnnSpuAtt model = new MscnnSpuAtt(cfg, new CpuBackend());
        model.initialize(1);
        // eight batches of 32 with varied lengths, cycled: every buffer reaches its largest size early
        List<Batch> batches = new ArrayList<>();
        int[][] lengths = Workloads.lengths(256, 3);
        for (int b = 0; b < 8; b++) batches.add(Workloads.batch(cfg, java.util.Arrays.copyOfRange(lengths, 32 * b, 32 * b + 32), b));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.printf("%6s %10s %10s %14s %16s%n", "step", "heap MB", "RSS MB", "native MB", "alloc MB/step");
        long allocAt = threads.getTotalThreadAllocatedBytes();
        for (int s = 1; s <= steps; s++) {
            Batch b = batches.get(s % batches.size());
            model.zeroGrad();
            model.forward(b, 0.3f, s);
            model.backward();
            model.gradNorm();
            model.adamStep(AdamHyper.paper());
            if (s == 10 || s % 50 == 0) {
                long alloc = threads.getTotalThreadAllocatedBytes();
                System.gc();
                long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
                System.out.printf("%6d %10.1f %10.1f %14s %16.1f%n", s, heap / 1e6, rss() / 1e6, nativeCommitted(),
                        (alloc - allocAt) / 1e6 / (s == 10 ? 10 : 50));
                allocAt = threads.getTotalThreadAllocatedBytes();
            }
        }
    }

    static long rss() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status")))
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
        return -1;
    }

    /** Total committed memory by the JVM's native memory tracking, or "n/a" without -XX:NativeMemoryTracking. */
    static String nativeCommitted() {
        try {
            String out = (String) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmNativeMemory", new Object[]{new String[]{"summary"}}, new String[]{String[].class.getName()});
            Matcher m = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB").matcher(out);
            return m.find() ? String.format("%.1f", Long.parseLong(m.group(2)) / 1e3) : "n/a";
        } catch (Exception e) {
            return "n/a";
        }
    }
}

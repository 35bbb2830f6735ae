package dev.ser4j.cli;

import dev.ser4j.cuda.CudaRuntime;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./ser4j info} and {@code ./ser4j gpu-check} where CUDA is unusable (on a machine like this one, with the
 * CUDA 13 runtime but no driver). Skipped (visibly) on a machine where CUDA works.
 */
class InfoCommandTest {
    private static String unusable() {
        Assumptions.assumeFalse(CudaRuntime.usable(), "CUDA is usable on this machine; the no-GPU paths do not apply");
        return CudaRuntime.whyUnusable().orElseThrow();
    }

    @Test
    void infoPrintsEveryPartAndWhyCudaIsMissing() {
        String why = unusable();
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            rc = Main.run("info");
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        for (String part : new String[]{"Java:", "CPU sgemm:", "CPU convolution: ", "cuBLAS:", "cuDNN:", "CUDA kernels:", "--backend auto:  cpu, because " + why})
            assertTrue(text.contains(part), "info lacks '" + part + "':\n" + text);
        assertTrue(text.contains("CUDA runtime:"), text);
    }

    @Test
    void gpuCheckSaysWhyAndExitsWithItsNoGpuStatus() {
        String why = unusable();
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(GpuCheckCommand.EXIT_NO_GPU, Main.run("gpu-check"));
        } finally {
            System.setErr(old);
        }
        assertEquals("ser4j gpu-check: CUDA is not usable here: " + why, err.toString(StandardCharsets.UTF_8).strip());
    }

    /** The device bundle's command line: info and gpu-check alone, with the same exit statuses. */
    @Test
    void theDeviceBundlesCommandLineHasInfoAndGpuCheck() {
        unusable();
        assertEquals(Set.of("info", "gpu-check", "help"), new CommandLine(new DeviceMain()).getSubcommands().keySet());
        assertEquals(GpuCheckCommand.EXIT_NO_GPU, Main.execute(new CommandLine(new DeviceMain()), "gpu-check"));
        assertEquals(2, Main.execute(new CommandLine(new DeviceMain()), "gpu-check", "--frobnicate"));
    }
}

package dev.ser4j.cuda;

import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.runtime.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backend selection where CUDA is unusable — on a machine like this one, with the CUDA 13
 * runtime but no driver, the real path: cudaGetDeviceCount returns 35 and that becomes the reason. Skipped (visibly)
 * on a machine where CUDA works, where the parity suite runs instead.
 */
class CudaNoDriverTest {
    private static String unusable() {
        CudaRuntime.Probe p = CudaRuntime.probe();
        Assumptions.assumeFalse(p.usable(), "CUDA is usable on this machine; the no-GPU paths do not apply");
        return p.whyUnusable().orElseThrow();
    }

    @Test
    void autoFallsBackToTheCpuWithOneLineSayingWhy() {
        String why = unusable();
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        try (Backend b = Backends.select("auto", CudaBackend.Options.defaults(), new PrintStream(notes, true, StandardCharsets.UTF_8))) {
            assertInstanceOf(CpuBackend.class, b);
        }
        String text = notes.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains(why), text);
    }

    @Test
    void noDriverIsReportedFromCudaGetDeviceCountsError35() {
        CudaRuntime.Probe p = CudaRuntime.probe();
        Assumptions.assumeTrue(p.cudart().isPresent() && p.driverVersion() == 0, "this machine has no CUDA runtime, or has a driver");
        String why = unusable();
        assertTrue(why.contains("cudaErrorInsufficientDriver") && why.contains("(35)") && why.contains("no NVIDIA driver"), why);
    }

    @Test
    void cudaWhereUnusableIsAUserErrorNotACrash() {
        String why = unusable();
        InputException e = assertThrows(InputException.class, () -> Backends.select("cuda", CudaBackend.Options.defaults(), System.err));
        assertEquals("--backend", e.source());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertThrows(InputException.class, () -> Backends.select("tpu"));
        try (Backend b = Backends.select("cpu")) {
            assertInstanceOf(CpuBackend.class, b);
        }
    }

    @Test
    void theCudaBackendRefusesToOpen() {
        String why = unusable();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CudaBackend(CudaBackend.Options.defaults()));
        assertTrue(e.getMessage().contains(why));
    }
}

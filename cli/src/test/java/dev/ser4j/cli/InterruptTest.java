package dev.ser4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Ctrl-C (SIGINT) during cross-validation: the run stops after the current step, saves its state, and resumes. */
class InterruptTest {
    @TempDir
    Path dir;

    @Test
    void sigintSavesTheStateAndResumeFinishesTheRun() throws Exception {
        assumeFalse(sigintIgnored(), "SIGINT is ignored in this process (started in the background by a shell without job control), "
                + "so the JVM under test would never see Ctrl-C");
        Path manifest = TestCorpus.manifest(dir.resolve("corpus"), TestCorpus.make(3, 16, 5));
        Path run = dir.resolve("run"), log = dir.resolve("cv.log");
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "cv", "--data", "manifest:" + manifest,
                "--variant", "mscnn-spu", "--folds", "session", "--repeats", "1", "--max-folds", "1", "--epochs", "10", "--patience", "10",
                "--batch-size", "4", "--backend", "cpu", "--out", run.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path state = run.resolve("state");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.isDirectory(state) && Files.list(state).anyMatch(f -> f.toString().endsWith(".safetensors")))) {
            assertTrue(p.isAlive(), "cv ended before it could be interrupted:\n" + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "no epoch finished in time");
            Thread.sleep(20);
        }
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "cv stops after its current step");
        String out = Files.readString(log);
        assertEquals(130, p.exitValue(), out);
        assertTrue(out.contains("the state is saved in") && out.contains("continue with ./ser4j cv --resume " + run), out);
        assertFalse(Files.exists(run.resolve("report.json")), "an interrupted run has no report yet");

        PipelineEndToEndTest.Run r = PipelineEndToEndTest.ser4j("cv", "--resume", run.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("resuming at epoch"), r.out());
        assertEquals(10, new ObjectMapper().readTree(run.resolve("report.json").toFile()).get("per_fold").get(0).get("epochs").asInt());
    }

    /** Whether this process ignores SIGINT (Linux: bit 2 of SigIgn); its children inherit that, and the JVM then installs no handler. */
    private static boolean sigintIgnored() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) return false;
        for (String line : Files.readAllLines(status))
            if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 0x2) != 0;
        return false;
    }
}

package dev.ser4j.train;

import dev.ser4j.model.TrainedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A cross-validation killed with SIGKILL in the middle of training and then resumed ends with exactly the weights
 * and results of an uninterrupted run with the same seed.
 */
class KillAndResumeTest {
    @TempDir
    Path dir;

    @Test
    void killedMidEpochAndResumedGivesTheUninterruptedWeights() throws Exception {
        Path whole = dir.resolve("whole"), killed = dir.resolve("killed");
        List<CrossValidation.Run> expected = ResumeProbe.run(whole);

        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ResumeProbe.class.getName(), killed.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("probe.log").toFile()).start();
        Path stateDir = killed.resolve("state");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // wait until the second fold is under way with at least one epoch saved, then kill in the middle of an epoch
        while (!(Files.isDirectory(stateDir) && countFiles(killed.resolve("runs")) >= 1 && countFiles(stateDir) >= 1)) {
            assertTrue(p.isAlive(), "the probe finished before it could be killed:\n" + Files.readString(dir.resolve("probe.log")));
            assertTrue(System.nanoTime() < deadline, "the probe made no progress");
            Thread.sleep(20);
        }
        Thread.sleep(60);                                       // into the next epoch: a run has 20, each at least 40 ms
        assertTrue(p.isAlive(), "the probe finished before it could be killed");
        p.destroyForcibly().waitFor();                          // SIGKILL: no shutdown hook, no last save
        assertEquals(1, countFiles(stateDir), "a run was in progress when killed; runs: " + list(killed.resolve("runs")) + ", state: " + list(stateDir)
                + "\n" + Files.readString(dir.resolve("probe.log")));

        List<CrossValidation.Run> resumed = ResumeProbe.run(killed);
        assertEquals(expected.size(), resumed.size());
        for (int i = 0; i < expected.size(); i++) {
            Metrics e = expected.get(i).test(), r = resumed.get(i).test();
            assertEquals(e.wa(), r.wa(), "test WA of run " + i);
            assertEquals(e.ua(), r.ua(), "test UA of run " + i);
            assertArrayEquals(e.confusion(), r.confusion(), "test confusion of run " + i);
            assertEquals(expected.get(i).training().bestEpoch(), resumed.get(i).training().bestEpoch());
            assertEquals(expected.get(i).training().history().stream().map(Trainer.Epoch::trainLoss).toList(),
                    resumed.get(i).training().history().stream().map(Trainer.Epoch::trainLoss).toList(), "training losses of run " + i);
        }
        try (var files = Files.list(whole.resolve("checkpoints"))) {
            for (Path ck : files.toList()) {
                float[] a = TrainedModel.read(ck).parameters();
                float[] b = TrainedModel.read(killed.resolve("checkpoints").resolve(ck.getFileName())).parameters();
                assertArrayEquals(a, b, "weights of " + ck.getFileName());
            }
        }
        assertEquals(0, countFiles(stateDir), "finished runs leave no state behind");
    }

    private static List<String> list(Path d) throws Exception {
        if (!Files.isDirectory(d)) return List.of();
        try (var s = Files.list(d)) {
            return s.map(f -> f.getFileName().toString()).toList();
        }
    }

    private static long countFiles(Path d) throws Exception {
        if (!Files.isDirectory(d)) return 0;
        try (var s = Files.list(d)) {
            return s.filter(f -> !f.getFileName().toString().startsWith(".")).count();
        }
    }
}

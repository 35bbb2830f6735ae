package dev.ser4j.cli;

import dev.ser4j.cuda.CudaRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A command refused for its options says why in one sentence, exits 2, and leaves nothing behind: the options
 * (backend included) are checked before any data is read or any folder made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusedCommandsTest {
    Path dir, manifest;

    @BeforeAll
    void corpus(@TempDir Path tmp) throws Exception {
        dir = tmp;
        manifest = TestCorpus.manifest(dir.resolve("corpus"), TestCorpus.make(2, 4, 1));
    }

    /** Runs the command and checks that it was refused: exit 2, one line on stderr naming {@code expected}. */
    static String refused(String expected, String... args) {
        PipelineEndToEndTest.Run r = PipelineEndToEndTest.ser4j(args);
        String all = String.join(" ", args) + "\n" + r.out() + r.err();
        assertEquals(2, r.code(), all);
        String err = r.err().strip();
        assertTrue(err.startsWith("ser4j: ") && err.lines().count() == 1 && !err.contains("Exception"), all);
        assertTrue(err.contains(expected), all);
        return err;
    }

    /** Nothing in {@code dir} but the corpus: no run folder, model, state or cache was made. */
    void nothingLeftBehind() throws Exception {
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("corpus")), files.toList());
        }
        try (var files = Files.list(dir.resolve("corpus"))) {
            assertEquals(List.of("manifest.tsv", "wav"), files.map(f -> f.getFileName().toString()).sorted().toList(), "no feature cache");
        }
    }

    @Test
    void trainOnCudaWithoutAUsableGpuIsRefusedBeforeItsRunFolderExists() throws Exception {
        assumeFalse(CudaRuntime.usable(), "CUDA is usable here, so --backend cuda is not refused");
        Path model = dir.resolve("M.safetensors");
        refused("--backend: cuda was asked for, but", "train", "--data", "manifest:" + manifest, "--out", model.toString(), "--backend", "cuda");
        assertFalse(Files.exists(TrainCommand.runDir(model)), "no M.safetensors.run/");
        nothingLeftBehind();
    }

    @Test
    void cvOnCudaWithoutAUsableGpuIsRefusedBeforeItsRunFolderExists() throws Exception {
        assumeFalse(CudaRuntime.usable(), "CUDA is usable here, so --backend cuda is not refused");
        refused("--backend: cuda was asked for, but", "cv", "--data", "manifest:" + manifest, "--out", dir.resolve("cv").toString(),
                "--backend", "cuda");
        nothingLeftBehind();
    }

    @Test
    void experimentDemoAndEvaluateOnCudaWithoutAUsableGpuAreRefusedFirst() throws Exception {
        assumeFalse(CudaRuntime.usable(), "CUDA is usable here, so --backend cuda is not refused");
        refused("--backend: cuda", "experiment", "table1", "--data", "manifest:" + manifest, "--out", dir.resolve("t1").toString(),
                "--backend", "cuda");
        // demo would synthesise its corpus first: the backend is checked before that
        refused("--backend: cuda", "demo", "--corpus", dir.resolve("synth").toString(), "--out", dir.resolve("demo").toString(),
                "--backend", "cuda");
        // evaluate checks the backend before it reads the model
        refused("--backend: cuda", "evaluate", "--model", dir.resolve("none.safetensors").toString(), "--data", "manifest:" + manifest,
                "--out", dir.resolve("eval").toString(), "--backend", "cuda");
        nothingLeftBehind();
    }

    @Test
    void anUnknownBackendIsRefusedBeforeAnyWork() throws Exception {
        refused("'tpu' is not a backend; expected auto, cpu or cuda", "cv", "--data", "manifest:" + manifest, "--out",
                dir.resolve("cv").toString(), "--backend", "tpu");
        nothingLeftBehind();
    }

    @Test
    void xvectorsForAModelWithoutSpeakerEmbeddingsIsAnErrorBeforeTheDataIsRead() throws Exception {
        // the data set does not exist: the x-vector mistake is found first
        String missing = "manifest:" + dir.resolve("missing.tsv");
        for (String variant : new String[]{"audio-cnn", "text-cnn"}) {
            refused("--xvectors: " + variant + " takes no speaker embedding; --variant audio-cnn-xvector", "train", "--data", missing,
                    "--variant", variant, "--xvectors", "speaker-stats", "--out", dir.resolve("m.safetensors").toString());
            refused("--xvectors: " + variant + " takes no speaker embedding; --variant audio-cnn-xvector", "cv", "--data", missing,
                    "--variant", variant, "--xvectors", "speaker-stats", "--out", dir.resolve("cv").toString());
        }
        nothingLeftBehind();
    }

    @Test
    void badTrainingFlagsAreRefusedBeforeAnyWork() throws Exception {
        String m = "manifest:" + manifest;
        refused("--epochs", "train", "--data", m, "--out", dir.resolve("m.safetensors").toString(), "--epochs", "0", "--backend", "cpu");
        refused("--recipe", "cv", "--data", m, "--out", dir.resolve("cv").toString(), "--recipe", "fancy", "--backend", "cpu");
        refused("--no-swem", "cv", "--data", m, "--variant", "audio-cnn", "--no-swem", "--out", dir.resolve("cv").toString(), "--backend", "cpu");
        refused("--glove", "train", "--data", m, "--glove", dir.resolve("nope.txt").toString(), "--out", dir.resolve("m.safetensors").toString());
        refused("--repeats", "experiment", "table2", "--data", m, "--repeats", "0", "--out", dir.resolve("t2").toString());
        nothingLeftBehind();
    }

    @Test
    void aRunWhoseDataCannotBeReadLeavesNoFolder(@TempDir Path other) throws Exception {
        refused("missing.tsv", "cv", "--data", "manifest:" + dir.resolve("missing.tsv"), "--out", dir.resolve("cv").toString(), "--backend", "cpu");
        assertFalse(Files.exists(dir.resolve("cv")));
        // a corrupt file with --strict is found while the features are computed, after the run folder was started
        Path bad = other.resolve("bad");
        Path m = TestCorpus.manifest(bad, TestCorpus.make(2, 4, 2));
        try (var wavs = Files.list(bad.resolve("wav"))) {
            Files.write(wavs.sorted().findFirst().orElseThrow(), new byte[]{'R', 'I', 'F', 'F', 1, 2});
        }
        Path run = other.resolve("cv-bad");
        refused(".wav", "cv", "--data", "manifest:" + m, "--strict", "--cache", other.resolve("cache").toString(), "--out", run.toString(),
                "--backend", "cpu");
        assertFalse(Files.exists(run), "the refused run's folder is removed");
    }

    @Test
    void demoResumesTheRunItsHintNames(@TempDir Path other) throws Exception {
        Path run = other.resolve("demo-run");
        Files.createDirectories(run);
        refused("holds no run to resume", "demo", "--resume", run.toString());
        // a demo run's folder: resuming parses its stored arguments again (here its backend, refused on this machine or not)
        Files.writeString(run.resolve(RunDir.COMMAND), "{\"command\": \"demo\", \"args\": [\"--corpus\", \"" + other.resolve("synth")
                + "\", \"--backend\", \"tpu\", \"--out\", \"" + run + "\"]}\n");
        PipelineEndToEndTest.Run r = PipelineEndToEndTest.ser4j("demo", "--resume", run.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("resuming the demo in " + run), r.out());
        assertTrue(r.err().contains("'tpu' is not a backend"), "the stored arguments were parsed again: " + r.err());
        assertFalse(Files.exists(other.resolve("synth")), "refused before the corpus is made");
        // a second demo into the same folder is refused with a hint that works
        String err = refused("already holds a run; continue it with --resume " + run, "demo", "--out", run.toString(), "--backend", "cpu");
        assertTrue(err.contains("--resume " + run), err);
    }
}

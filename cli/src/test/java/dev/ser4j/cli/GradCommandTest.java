package dev.ser4j.cli;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.io.SafeTensors;
import dev.ser4j.model.Batch;
import dev.ser4j.model.BatchFile;
import dev.ser4j.model.Checkpoint;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.ParamLayout;
import dev.ser4j.perf.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code ./ser4j grad}: the interface other tools rely on, and its answers to bad input. */
class GradCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String err) {}

    static Run run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            return new Run(Main.run(args), err.toString());
        } finally {
            System.setErr(old);
        }
    }

    private Path batchFor(ModelConfig cfg) throws Exception {
        Batch b = Workloads.batch(cfg, new int[][]{{30, 5}, {1, 0}, {12, 9}}, 3);
        Path f = dir.resolve("batch.safetensors");
        BatchFile.write(b, f);
        return f;
    }

    @Test
    void initThenGradWritesLogitsLossAndEveryParameterGradient() throws Exception {
        Path w = dir.resolve("w.safetensors"), g = dir.resolve("g.safetensors");
        assertEquals(0, run("grad", "--init", "--variant", "mscnn-spu-att", "--vocab", "40", "--seed", "5", "--out", w.toString()).code);
        MscnnSpuAtt m = Checkpoint.load(w, new CpuBackend());
        Path batch = batchFor(m.config());
        Run r = run("grad", "--weights", w.toString(), "--batch", batch.toString(), "--out", g.toString());
        assertEquals(0, r.code, r.err);
        Batch b = BatchFile.read(batch, m.config());
        m.zeroGrad();
        double loss = m.forward(b, 0f, 0);
        m.backward();
        try (SafeTensors st = SafeTensors.open(g)) {
            assertArrayEquals(m.logits(), st.floats("logits", 3, 4));
            assertArrayEquals(new long[0], st.entry("loss").shape());
            assertEquals((float) loss, st.floats("loss")[0]);
            for (ParamLayout.Param p : m.layout().all()) assertArrayEquals(m.gradient(p.name()), st.floats("grad." + p.name(), p.shape()), p.name());
            assertEquals(2 + m.layout().all().size(), st.names().size());
        }
    }

    @Test
    void adamStepsWriteWeightsThatLoadAsAModel() throws Exception {
        Path w = dir.resolve("w.safetensors"), out = dir.resolve("w3.safetensors");
        run("grad", "--init", "--variant", "text-cnn", "--vocab", "40", "--out", w.toString());
        MscnnSpuAtt m = Checkpoint.load(w, new CpuBackend());
        Path batch = batchFor(m.config());
        assertEquals(0, run("grad", "--weights", w.toString(), "--batch", batch.toString(), "--adam-steps", "3", "--lr", "0.001",
                "--out", out.toString()).code);
        Batch b = BatchFile.read(batch, m.config());
        for (int s = 0; s < 3; s++) {
            m.zeroGrad();
            m.forward(b, 0f, 0);
            m.backward();
            m.adamStep(AdamHyper.paper().withLr(0.001f));
        }
        assertArrayEquals(m.parameterBlock(), Checkpoint.load(out, new CpuBackend()).parameterBlock());
    }

    @Test
    void badInputIsOneSentenceExitTwoAndNoOutput() throws Exception {
        Path w = dir.resolve("w.safetensors"), g = dir.resolve("g.safetensors");
        run("grad", "--init", "--variant", "mscnn-spu", "--vocab", "40", "--out", w.toString());
        Path batch = batchFor(Checkpoint.load(w, new CpuBackend()).config());
        Path corrupt = Files.write(dir.resolve("corrupt.safetensors"), new byte[]{1, 2, 3});
        String[][] cases = {
                {"grad", "--weights", dir.resolve("nope.safetensors").toString(), "--batch", batch.toString(), "--out", g.toString()},
                {"grad", "--weights", w.toString(), "--batch", corrupt.toString(), "--out", g.toString()},
                {"grad", "--weights", w.toString(), "--batch", w.toString(), "--out", g.toString()},
                {"grad", "--init", "--variant", "bogus", "--vocab", "4", "--out", g.toString()},
                {"grad", "--init", "--variant", "text-cnn", "--out", g.toString()},
                {"grad", "--weights", w.toString(), "--batch", batch.toString(), "--out", g.toString(), "--variant", "audio-cnn"},
                {"grad", "--frobnicate"},
                {"grad", "--adam-steps", "x", "--out", g.toString()},
        };
        for (String[] args : cases) {
            Run r = run(args);
            assertEquals(2, r.code, String.join(" ", args) + " -> " + r.err);
            assertTrue(r.err.startsWith("ser4j: ") && r.err.strip().lines().count() == 1, "one line: " + r.err);
            assertFalse(r.err.contains("Exception"), r.err);
            assertFalse(Files.exists(g), "no output after: " + String.join(" ", args));
        }
        // a token outside the vocabulary
        ModelConfig small = Checkpoint.load(w, new CpuBackend()).config().withVocab(5);
        Path w5 = dir.resolve("w5.safetensors");
        run("grad", "--init", "--variant", "mscnn-spu", "--vocab", "5", "--out", w5.toString());
        Run r = run("grad", "--weights", w5.toString(), "--batch", batch.toString(), "--out", g.toString());
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.contains("outside the vocabulary 0..4"), r.err);
        assertEquals(5, small.vocab());
    }
}

package dev.ser4j.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.io.SafeTensors;
import dev.ser4j.model.BatchFile;
import dev.ser4j.model.Checkpoint;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.ParamLayout;
import dev.ser4j.perf.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code ./ser4j export}: the interface other tools rely on (weights from {@code ./ser4j grad --init} give a graph whose
 * logits are {@code ./ser4j grad}'s on the same batch) and its answers to bad requests.
 */
class ExportCommandTest {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir
    Path dir;

    static GradCommandTest.Run run(String... args) {
        return GradCommandTest.run(args);
    }

    /** Runs the graph on a grad batch file, its I32 tensors given as int64; returns the logits [B * classes]. */
    static float[] ortLogits(Path onnx, Path batch) throws Exception {
        try (OrtSession s = ENV.createSession(onnx.toString(), new OrtSession.SessionOptions()); SafeTensors st = SafeTensors.open(batch)) {
            Map<String, OnnxTensor> feeds = new HashMap<>();
            for (String name : s.getInputNames()) {
                long[] shape = st.entry(name).shape();
                feeds.put(name, switch (st.entry(name).dtype().name()) {
                    case "F32" -> OnnxTensor.createTensor(ENV, FloatBuffer.wrap(st.floats(name, shape)), shape);
                    case "I32" -> OnnxTensor.createTensor(ENV, LongBuffer.wrap(java.util.Arrays.stream(st.ints(name, shape)).asLongStream().toArray()), shape);
                    default -> throw new AssertionError(name);
                });
            }
            try (OrtSession.Result r = s.run(feeds)) {
                float[][] l = (float[][]) r.get("logits").orElseThrow().getValue();
                float[] out = new float[l.length * l[0].length];
                for (int i = 0; i < l.length; i++) System.arraycopy(l[i], 0, out, i * l[0].length, l[0].length);
                return out;
            } finally {
                feeds.values().forEach(OnnxTensor::close);
            }
        }
    }

    @Test
    void gradInitWeightsExportToAGraphWhoseLogitsAreGradsOnTheSameBatch() throws Exception {
        String[][] models = {{"mscnn-spu-att"}, {"mscnn-spu-att", "--no-xvector"}, {"mscnn-spu"}, {"audio-cnn"}, {"audio-cnn-xvector"}, {"text-cnn"},
                {"mscnn-spu-att", "--audio-pooling", "max", "--no-swem"}};
        int k = 0;
        for (String[] model : models) {
            Path w = dir.resolve("w" + k + ".safetensors"), g = dir.resolve("g" + k + ".safetensors"), onnx = dir.resolve("w" + k + ".onnx");
            k++;
            List<String> init = new java.util.ArrayList<>(List.of("grad", "--init", "--variant", model[0], "--vocab", "40", "--seed", "7", "--out", w.toString()));
            init.addAll(List.of(model).subList(1, model.length));
            assertEquals(0, run(init.toArray(String[]::new)).code());
            ModelConfig cfg = Checkpoint.load(w, new CpuBackend()).config();
            Path batch = dir.resolve("batch" + k + ".safetensors");
            // lengths 1..max, an empty transcript among them
            int[][] lengths = {{1, 0}, {37, 5}, {2, 1}, {60, 12}, {13, 0}, {8, 3}};
            if (!cfg.variant().text) for (int[] l : lengths) l[1] = 0;
            BatchFile.write(Workloads.batch(cfg, lengths, k), batch);
            assertEquals(0, run("grad", "--weights", w.toString(), "--batch", batch.toString(), "--out", g.toString()).code());
            GradCommandTest.Run r = run("export", "--model", w.toString(), "--format", "onnx", "--out", onnx.toString());
            assertEquals(0, r.code(), r.err());
            float[] want;
            try (SafeTensors st = SafeTensors.open(g)) {
                want = st.floats("logits", 6, cfg.classes());
            }
            float[] got = ortLogits(onnx, batch);
            double scale = 0, err = 0;
            for (int i = 0; i < want.length; i++) {
                scale = Math.max(scale, Math.abs(want[i]));
                err = Math.max(err, Math.abs(got[i] - want[i]));
            }
            assertTrue(err <= 1e-5 * scale, String.join(" ", model) + ": ONNX logits differ from grad's by " + err / scale + " relative");
            System.out.printf("export vs grad, %-45s max relative error %.2e%n", String.join(" ", model), err / scale);
            assertTrue(Files.exists(dir.resolve("w" + (k - 1) + ".md")), "the model card beside the graph");
        }
    }

    @Test
    void inputsAreExactlyThoseTheVariantUses() throws Exception {
        Map<String, Set<String>> expected = Map.of(
                "audio-cnn", Set.of("audio", "audio_len"),
                "audio-cnn-xvector", Set.of("audio", "audio_len", "xvector"),
                "text-cnn", Set.of("tokens", "text_len"),
                "mscnn-spu-att", Set.of("audio", "audio_len", "tokens", "text_len", "xvector"));
        for (var e : expected.entrySet()) {
            Path w = dir.resolve(e.getKey() + ".safetensors"), onnx = dir.resolve(e.getKey() + ".onnx");
            run("grad", "--init", "--variant", e.getKey(), "--vocab", "30", "--out", w.toString());
            assertEquals(0, run("export", "--model", w.toString(), "--format", "onnx", "--out", onnx.toString()).code());
            try (OrtSession s = ENV.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
                assertEquals(e.getValue(), s.getInputNames(), e.getKey());
                assertEquals(Set.of("logits", "probabilities"), s.getOutputNames());
                assertEquals("angry,happy,sad,neutral", s.getMetadata().getCustomMetadata().get("labels"));
            }
        }
    }

    @Test
    void plainWeightsExportWithTheVariantFlag() throws Exception {
        Path w = dir.resolve("w.safetensors"), plain = dir.resolve("plain.safetensors"), onnx = dir.resolve("plain.onnx");
        run("grad", "--init", "--variant", "mscnn-spu", "--vocab", "30", "--out", w.toString());
        MscnnSpuAtt m = Checkpoint.load(w, new CpuBackend());
        SafeTensors.Writer pw = SafeTensors.writer();                     // as PyTorch writes it: tensors, no configuration
        for (ParamLayout.Param p : m.layout().all()) pw.f32(p.name(), m.parameter(p.name()), p.shape());
        pw.write(plain);
        GradCommandTest.Run r = run("export", "--model", plain.toString(), "--format", "onnx", "--out", onnx.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("pass --variant"), r.err());
        assertEquals(0, run("export", "--model", plain.toString(), "--format", "onnx", "--out", onnx.toString(), "--variant", "mscnn-spu").code());
        Path batch = dir.resolve("b.safetensors"), g = dir.resolve("g.safetensors");
        BatchFile.write(Workloads.batch(m.config(), new int[][]{{5, 2}, {9, 0}}, 3), batch);
        run("grad", "--weights", w.toString(), "--batch", batch.toString(), "--out", g.toString());
        try (SafeTensors st = SafeTensors.open(g)) {
            float[] want = st.floats("logits", 2, 4), got = ortLogits(onnx, batch);
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5 * Math.max(1, Math.abs(want[i])));
        }
    }

    @Test
    void badRequestsAreOneSentenceExitTwoAndLeaveNoFile() throws Exception {
        Path w = dir.resolve("w.safetensors");
        run("grad", "--init", "--variant", "mscnn-spu-att", "--vocab", "30", "--out", w.toString());
        byte[] bytes = Files.readAllBytes(w);
        Path truncated = Files.write(dir.resolve("truncated.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path garbage = Files.write(dir.resolve("garbage.safetensors"), new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9});
        Path aFile = Files.writeString(dir.resolve("a-file"), "not a directory");
        Path aDir = Files.createDirectory(dir.resolve("a-dir.onnx"));
        Path out = dir.resolve("out/m.onnx");
        String[][] cases = {
                {"export", "--model", w.toString(), "--format", "tflite", "--out", out.toString()},
                {"export", "--model", w.toString(), "--format", "onnx", "--out", aFile.resolve("m.onnx").toString()},
                {"export", "--model", w.toString(), "--format", "onnx", "--out", aDir.toString()},
                {"export", "--model", w.toString(), "--format", "onnx", "--out", dir.resolve("out/m.md").toString()},
                {"export", "--model", dir.resolve("missing.safetensors").toString(), "--format", "onnx", "--out", out.toString()},
                {"export", "--model", truncated.toString(), "--format", "onnx", "--out", out.toString()},
                {"export", "--model", garbage.toString(), "--format", "onnx", "--out", out.toString()},
                {"export", "--model", w.toString(), "--format", "onnx", "--out", out.toString(), "--variant", "text-cnn"},
                {"export", "--model", w.toString(), "--out", out.toString()},
                {"export", "--model", w.toString(), "--format", "onnx", "--out", out.toString(), "--frobnicate"},
        };
        for (String[] args : cases) {
            GradCommandTest.Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + " -> " + r.err());
            assertTrue(r.err().startsWith("ser4j: ") && r.err().strip().lines().count() == 1, "one line: " + r.err());
            assertFalse(r.err().contains("Exception:") || r.err().contains("\tat "), r.err());
            assertFalse(Files.exists(out) || Files.exists(dir.resolve("out/m.md")), "no output after: " + String.join(" ", args));
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(), "no temporary file left");
        }
        assertTrue(Files.isDirectory(aDir), "a directory named like the output is left alone");
        // an existing export survives a failed one
        assertEquals(0, run("export", "--model", w.toString(), "--format", "onnx", "--out", out.toString()).code());
        byte[] before = Files.readAllBytes(out);
        assertEquals(2, run("export", "--model", truncated.toString(), "--format", "onnx", "--out", out.toString()).code());
        assertArrayEquals(before, Files.readAllBytes(out));
    }
}

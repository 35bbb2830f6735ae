package dev.ser4j.model;

import dev.ser4j.core.InputException;
import dev.ser4j.core.Labels;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Pooling;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Checkpoints: exact round trips for every variant and ablation, and clear rejection of bad files. */
class CheckpointTest {
    @TempDir
    Path dir;

    static List<ModelConfig> configs() {
        List<ModelConfig> all = new ArrayList<>();
        for (Variant v : Variant.values()) all.add(ModelConfig.of(v, 30, true).withSizes(96, 16, 8, 4, 12));
        ModelConfig att = ModelConfig.of(Variant.MSCNN_SPU_ATT, 30, true).withSizes(96, 16, 8, 4, 12);
        all.add(att.withXvector(false));
        all.add(att.withAudioPooling(Pooling.MAX));
        all.add(att.withTextPooling(Pooling.MAX));
        all.add(att.withSwem(false));
        return all;
    }

    @Test
    void saveThenLoadGivesTheSameConfigurationAndLogits() throws Exception {
        int i = 0;
        for (ModelConfig cfg : configs()) {
            MscnnSpuAtt m = new MscnnSpuAtt(cfg, new CpuBackend());
            m.initialize(i);
            Path f = dir.resolve("m" + i++ + ".safetensors");
            Checkpoint.save(m, f, Map.of());
            MscnnSpuAtt back = Checkpoint.load(f, new CpuBackend());
            assertEquals(cfg, back.config());
            assertArrayEquals(m.parameterBlock(), back.parameterBlock(), cfg.toString());
            Batch b = TestBatches.batch(cfg, new TestBatches.Utt[]{new TestBatches.Utt(12, 3)}, 12, 3, 1);
            assertArrayEquals(TestBatches.logits(m, b), TestBatches.logits(back, b));
        }
    }

    @Test
    void aCheckpointsClassesAreReadInItsOrder() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>(configs().getFirst().toMetadata());
        m.put("labels", "happy,angry,sad,neutral");
        assertEquals(List.of("happy", "angry", "sad", "neutral"), ModelConfig.fromMetadata("m.safetensors", m).labels().names());
        m.remove("labels");
        assertEquals(Labels.DEFAULT, ModelConfig.fromMetadata("m.safetensors", m).labels(), "older checkpoints: the paper's four");
        m.put("classes", "8");
        InputException e = assertThrows(InputException.class, () -> ModelConfig.fromMetadata("m.safetensors", m));
        assertTrue(e.getMessage().contains("has 8 classes but no 'labels' naming them"), e.getMessage());
    }

    @Test
    void eightClassesRoundTrip() {
        ModelConfig c = configs().getFirst().withLabels(Labels.parse("--classes", "neutral,calm,happy,sad,angry,fearful,disgust,surprised"));
        assertEquals(8, c.classes());
        assertEquals(c, ModelConfig.fromMetadata("m", c.toMetadata()));
        assertArrayEquals(new long[]{8, c.hidden()}, new ParamLayout(c).get("head.output.weight").shape());
    }

    @Test
    void configurationsThatShareShapesAreToldApartByTheMetadata() {
        ModelConfig a = ModelConfig.of(Variant.MSCNN_SPU, 30, false), b = a.withDropout(0.5f);
        assertEquals(new ParamLayout(a).size(), new ParamLayout(b).size());
        assertNotEquals(a, ModelConfig.fromMetadata("x", b.toMetadata()));
        for (ModelConfig c : configs()) assertEquals(c, ModelConfig.fromMetadata("x", c.toMetadata()));
    }

    @Test
    void rejectsMissingUnexpectedMisshapedNonFiniteAndTruncatedWeights() throws Exception {
        ModelConfig cfg = configs().get(4);
        MscnnSpuAtt m = new MscnnSpuAtt(cfg, new CpuBackend());
        m.initialize(1);
        Path good = dir.resolve("good.safetensors");
        Checkpoint.save(m, good, Map.of());

        SafeTensors.Writer missing = SafeTensors.writer().metadata(cfg.toMetadata());
        SafeTensors.Writer extra = Checkpoint.writer(m.config(), m.parameterBlock(), Map.of()).f32("head.extra", new float[1], 1);
        SafeTensors.Writer shape = SafeTensors.writer().metadata(cfg.toMetadata());
        SafeTensors.Writer nan = SafeTensors.writer().metadata(cfg.toMetadata());
        SafeTensors.Writer pad = SafeTensors.writer().metadata(cfg.toMetadata());
        for (ParamLayout.Param p : m.layout().all()) {
            float[] v = m.parameter(p.name());
            if (!p.name().equals("head.output.bias")) missing.f32(p.name(), v, p.shape());
            if (p.name().equals("head.output.bias")) shape.f32(p.name(), new float[5], 5); else shape.f32(p.name(), v, p.shape());
            float[] n = v.clone();
            if (p.name().equals("head.hidden.bias")) n[0] = Float.NaN;
            nan.f32(p.name(), n, p.shape());
            float[] e = v.clone();
            if (p.name().equals(ParamLayout.EMBEDDING)) e[0] = 1f;
            pad.f32(p.name(), e, p.shape());
        }
        expect(missing, "has no tensor 'head.output.bias'");
        expect(extra, "unexpected tensor 'head.extra'");
        expect(shape, "has shape [5], expected [4]");
        expect(nan, "non-finite value");
        expect(pad, "non-zero PAD row");
        byte[] all = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.safetensors"), java.util.Arrays.copyOf(all, all.length - 7));
        InputException e = assertThrows(InputException.class, () -> Checkpoint.load(cut, new CpuBackend()));
        assertTrue(e.getMessage().contains("truncated file?"), e.getMessage());
        Path noMeta = dir.resolve("nometa.safetensors");
        SafeTensors.writer().f32("x", new float[1], 1).write(noMeta);
        e = assertThrows(InputException.class, () -> Checkpoint.load(noMeta, new CpuBackend()));
        assertTrue(e.getMessage().contains("no model configuration"), e.getMessage());
    }

    @Test
    void parameterCountIsTheLayoutsSize() {
        for (ModelConfig c : configs()) assertEquals(new ParamLayout(c).size(), c.parameterCount(), c.toString());
        ModelConfig paper = ModelConfig.of(Variant.MSCNN_SPU_ATT, 3000, true);
        assertEquals(new ParamLayout(paper).size(), paper.parameterCount());
    }

    /** Fuzzing findings (ModelConfigFuzzTest): metadata sizes the configuration accepted but no model can have. */
    @Test
    void metadataWithImpossibleSizesIsAnInputExceptionNamingTheKey() {
        Map<String, String> good = ModelConfig.of(Variant.MSCNN_SPU_ATT, 30, true).toMetadata();
        assertEquals(ModelConfig.of(Variant.MSCNN_SPU_ATT, 30, true), ModelConfig.fromMetadata("m", good));
        String[][] cases = {
                {"audio_dim", "0", "audio_dim: 0 is not in 1..65536"},                  // was an IllegalArgumentException
                {"hidden", "70000", "hidden: 70000 is not in 1..65536"},
                {"classes", "8", "has 'classes' 8 but 4 'labels' (angry,happy,sad,neutral)"},  // the labels name every output
                {"labels", "angry,happy,,sad", "labels: '' is not a class name"},
                {"labels", "angry,happy,sad,angry", "labels: 'angry' is listed twice"},
                {"dropout", "NaN", "--dropout: NaN is not in [0, 1)"},                   // was accepted
                {"audio_kernels", "5,-7", "audio_kernels: -7 is not in 1..65536"},       // was accepted
                {"text_kernels", ",", "text_kernels: 0 kernel sizes; expected 1 to 16"}, // was accepted
                {"vocab", "2000000000", "600002397444 parameters, more than the 2147483639"}, // was an ArithmeticException in the layout
        };
        for (String[] c : cases) {
            Map<String, String> m = new java.util.HashMap<>(good);
            m.put(c[0], c[1]);
            InputException e = assertThrows(InputException.class, () -> ModelConfig.fromMetadata("m.safetensors", m), c[0]);
            assertTrue(e.getMessage().startsWith("m.safetensors: ") && e.getMessage().contains(c[2]), e.getMessage());
        }
    }

    /** Fuzzing finding: a loader allocated the model its metadata describes (here 6 GB per block) before checking the file held it. */
    @Test
    void aCheckpointClaimingAHugeModelIsRejectedBeforeTheModelIsAllocated() throws Exception {
        ModelConfig small = ModelConfig.of(Variant.TEXT_CNN, 30, false).withSizes(96, 16, 8, 4, 12);
        MscnnSpuAtt m = new MscnnSpuAtt(small, new CpuBackend());
        m.initialize(3);
        ModelConfig huge = ModelConfig.of(Variant.TEXT_CNN, 5_000_000, false);
        assertTrue(huge.parameterCount() > 1_000_000_000L && huge.parameterCount() <= ModelConfig.MAX_PARAMETERS);
        Path f = dir.resolve("claims-huge.safetensors");
        SafeTensors.Writer w = SafeTensors.writer().metadata(huge.toMetadata());
        for (ParamLayout.Param p : m.layout().all()) w.f32(p.name(), m.parameter(p.name()), p.shape());
        w.write(f);
        InputException e = assertThrows(InputException.class, () -> Checkpoint.load(f, new CpuBackend()));
        assertTrue(e.getMessage().contains("tensor 'text.embedding.weight' has shape [30, 16], expected [5000000, 300]"), e.getMessage());
        e = assertThrows(InputException.class, () -> TrainedModel.read(f));
        assertTrue(e.getMessage().contains("expected [5000000, 300]"), e.getMessage());
    }

    private void expect(SafeTensors.Writer w, String phrase) throws Exception {
        Path f = Files.createTempFile(dir, "bad", ".safetensors");
        w.write(f);
        InputException e = assertThrows(InputException.class, () -> Checkpoint.load(f, new CpuBackend()));
        assertTrue(e.getMessage().contains(phrase), "expected '" + phrase + "' in: " + e.getMessage());
    }
}

package dev.ser4j.onnx;

import dev.ser4j.core.Labels;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Pooling;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.model.Batch;
import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.TrainedModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The exported graph, run in ONNX Runtime, against ser4j's CPU forward (dropout 0): every variant and ablation at
 * small sizes and the paper's model at its own sizes, on padded batches holding every length from 1 (audio) and 0
 * (an empty transcript) up to the batch's maximum; with and without a feature normaliser in the checkpoint.
 */
class OnnxParityTest {
    /** Agreement required: max |ort - ser4j| over a batch's logits, relative to the largest |logit| (and per probability). */
    static final double TOL = 1e-5;
    static final Map<String, Double> REPORT = new LinkedHashMap<>();

    /** The model configurations: each variant, then each ablation that changes it. */
    static Map<String, ModelConfig> configurations(boolean small) {
        Map<String, ModelConfig> out = new LinkedHashMap<>();
        for (Variant v : Variant.values()) {
            ModelConfig base = ModelConfig.of(v, 37, true);
            if (small) base = base.withSizes(16, 12, 7, 5, 9);
            out.putIfAbsent(v.id, base);
            if (base.xvector() && v != Variant.AUDIO_CNN_XVECTOR) out.putIfAbsent(v.id + " --no-xvector", base.withXvector(false));
            if (v.audio) out.putIfAbsent(v.id + " --audio-pooling max", base.withAudioPooling(Pooling.MAX));
            if (v.text) {
                out.putIfAbsent(v.id + " --text-pooling max", base.withTextPooling(Pooling.MAX));
                out.putIfAbsent(v.id + " --no-swem", base.withSwem(false));
            }
        }
        return out;
    }

    /**
     * A batch of raw (un-normalised) examples with every audio length 1..T (a few of each size class) and text lengths
     * 0..M, so padding, the length-1 utterance and the empty transcript all occur.
     */
    static List<Example> examples(ModelConfig cfg, int B, int T, int M, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>();
        for (int b = 0; b < B; b++) {
            int frames = b == 0 ? 1 : b == 1 ? T : 1 + rng.nextInt(T);
            int words = b == 0 ? 0 : b == 1 ? M : b == 2 ? 1 : rng.nextInt(M + 1);
            if (b == 3) words = 0;
            float[] audio = new float[frames * cfg.audioDim()];
            for (int i = 0; i < audio.length; i++) audio[i] = (float) (rng.nextGaussian() * 3 + 1);
            int[] tokens = new int[cfg.variant().text ? words : 0];
            for (int t = 0; t < tokens.length; t++) tokens[t] = rng.nextInt(0, cfg.vocab());      // PAD may occur inside the text
            float[] xv = new float[cfg.xvectorDim()];
            for (int i = 0; i < xv.length; i++) xv[i] = (float) (rng.nextGaussian() * 2 - 0.5);
            out.add(new Example("u" + b, "s", "s", audio, frames, tokens, cfg.xvector() ? xv : null, rng.nextInt(cfg.classes())));
        }
        return out;
    }

    /** The largest error relative to the batch's largest magnitude. */
    static double relError(float[] got, float[] want) {
        double scale = 0, err = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            err = Math.max(err, Math.abs(got[i] - want[i]));
        }
        return err / Math.max(scale, 1e-30);
    }

    /** Compares ONNX Runtime on the raw batch with ser4j on the batch its Batcher makes (normalised). */
    static double compare(String name, TrainedModel tm, List<Example> ex) throws Exception {
        ModelConfig cfg = tm.config();
        Batch normalised = new Batcher(cfg, tm.normalizer()).batch(ex).withoutLabels();
        Batch raw = new Batcher(cfg, FeatureNormalizer.identity(cfg.audioDim())).batch(ex).withoutLabels();
        float[] logits, probs;
        try (MscnnSpuAtt m = tm.instantiate(new CpuBackend(), false)) {
            m.forward(normalised, 0f, 0);
            logits = m.logits();
            probs = m.probabilities();
        }
        OnnxExport.Exported e = OnnxExport.export(tm, name);
        Ort.Out out;
        try (Ort ort = new Ort(e.bytes())) {
            out = ort.run(withGarbagePadding(raw, cfg), cfg.audioDim(), cfg.xvectorDim());
        }
        double rel = relError(out.logits(), logits);
        double relP = relError(out.probabilities(), probs);
        REPORT.merge(name, Math.max(rel, relP), Math::max);
        assertTrue(rel <= TOL, name + ": logits differ by " + rel + " relative");
        assertTrue(relP <= TOL, name + ": probabilities differ by " + relP + " relative");
        return rel;
    }

    /**
     * The batch with non-zero values in the audio frames past each length and non-PAD ids past each text length:
     * the graph must ignore them, as the spec's masking says.
     */
    static Batch withGarbagePadding(Batch b, ModelConfig cfg) {
        float[] audio = b.audio() == null ? null : b.audio().clone();
        int[] tokens = b.tokens() == null ? null : b.tokens().clone();
        for (int i = 0; i < b.size(); i++) {
            if (audio != null)
                for (int t = b.audioLen()[i]; t < b.frames(); t++)
                    for (int c = 0; c < cfg.audioDim(); c++) audio[(i * b.frames() + t) * cfg.audioDim() + c] = 7.5f - c;
            if (tokens != null) for (int t = b.textLen()[i]; t < b.maxTokens(); t++) tokens[i * b.maxTokens() + t] = 1 + t % (cfg.vocab() - 1);
        }
        return new Batch(b.size(), b.frames(), b.maxTokens(), audio, b.audioLen(), tokens, b.textLen(), b.labels(), b.xvector());
    }

    static TrainedModel trained(ModelConfig cfg, long seed, FeatureNormalizer norm) {
        try (MscnnSpuAtt m = new MscnnSpuAtt(cfg, new CpuBackend(), false)) {
            m.initialize(seed);
            return TrainedModel.of(m, norm, Map.of());
        }
    }

    @Test
    void everyVariantAndAblationAgreesWithSer4jAtSmallSizes() throws Exception {
        long seed = 11;
        for (var e : configurations(true).entrySet()) {
            ModelConfig cfg = e.getValue();
            compare(e.getKey(), trained(cfg, seed++, FeatureNormalizer.identity(cfg.audioDim())), examples(cfg, 9, 23, 11, seed));
        }
    }

    @Test
    void anyNumberOfClassesAgrees() throws Exception {
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, 37, true).withSizes(16, 12, 7, 5, 9)
                .withLabels(new Labels(List.of("calm", "angry", "fearful", "sad", "happy", "surprised", "disgust", "neutral")));
        compare("mscnn-spu-att, 8 classes", trained(cfg, 3, FeatureNormalizer.identity(16)), examples(cfg, 6, 17, 8, 4));
    }

    @Test
    void checkpointNormaliserIsInsideTheGraph() throws Exception {
        for (Variant v : new Variant[]{Variant.MSCNN_SPU_ATT, Variant.AUDIO_CNN_XVECTOR, Variant.MSCNN_SPU}) {
            ModelConfig cfg = ModelConfig.of(v, 37, true).withSizes(16, 12, 7, 5, 9);
            List<Example> ex = examples(cfg, 8, 19, 9, 5);
            FeatureNormalizer norm = FeatureNormalizer.fit(ex);
            assertFalse(OnnxExport.identity(norm.mean(), norm.std()));
            TrainedModel tm = trained(cfg, 21, norm);
            compare(v.id + " with feature normaliser", tm, examples(cfg, 7, 21, 9, 6));
            assertEquals("in-graph", OnnxExport.export(tm, "x").metadata().get(OnnxExport.META_NORMALIZATION));
        }
    }

    @Test
    void paperSizedModelsAgree() throws Exception {
        for (ModelConfig cfg : List.of(ModelConfig.of(Variant.MSCNN_SPU_ATT, 3000, true), ModelConfig.of(Variant.MSCNN_SPU_ATT, 3000, false))) {
            List<Example> ex = examples(cfg, 6, 450, 24, 8);
            String name = "paper sizes, " + cfg.variant().id + (cfg.xvector() ? " with x-vector" : " --no-xvector");
            compare(name, trained(cfg, 9, FeatureNormalizer.fit(ex)), ex);
        }
    }

    @AfterAll
    static void report() {
        System.out.println("ONNX Runtime vs ser4j CPU, max relative error (logits and probabilities):");
        REPORT.forEach((k, v) -> System.out.printf("  %-45s %.2e%n", k, v));
    }
}

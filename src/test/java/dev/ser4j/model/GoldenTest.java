package dev.ser4j.model;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.cpu.ConvAlgorithm;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.io.SafeTensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole model against an independent PyTorch implementation of the spec (src/test/python/make_golden.py,
 * float64): logits and loss within 1e-4 relative, every gradient within 1e-3 of the tensor's largest magnitude,
 * and the weights after 3 steps of clip_grad_norm_(1.0) + Adam(5e-4) within 1e-3 of their largest magnitude; with
 * the CPU backend's default convolutions, every convolution direct, and every convolution by Winograd.
 */
class GoldenTest {
    record Golden(ModelConfig cfg, boolean frozen, Batch batch, SafeTensors st) {}

    static Golden open(String name) throws Exception {
        Path file = Path.of(GoldenTest.class.getResource("/golden/" + name + ".safetensors").toURI());
        SafeTensors st = SafeTensors.open(file);
        ModelConfig cfg = ModelConfig.fromMetadata(name, st.metadata());
        long[] a = st.entry("batch.audio").shape();
        int B = (int) a[0];
        Batch batch = new Batch(B, (int) a[1], (int) st.entry("batch.tokens").shape()[1], st.floats("batch.audio"),
                st.ints("batch.audio_len"), st.ints("batch.tokens"), st.ints("batch.text_len"), st.ints("batch.labels"),
                cfg.xvector() ? st.floats("batch.xvector") : null);
        return new Golden(cfg, "true".equals(st.metadata().get("frozen_embedding")), batch, st);
    }

    static MscnnSpuAtt model(Golden g, ConvAlgorithm conv) {
        MscnnSpuAtt m = new MscnnSpuAtt(g.cfg, conv == null ? new CpuBackend() : new CpuBackend(conv));
        for (ParamLayout.Param p : m.layout().all()) m.setParameter(p.name(), g.st.floats("weights." + p.name(), p.shape()));
        m.freezeEmbedding(g.frozen);
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mscnn-spu-att_xvector", "mscnn-spu-att", "mscnn-spu", "audio-cnn", "audio-cnn-xvector", "text-cnn",
            "ablation-max-pooling", "ablation-no-swem", "frozen-embedding"})
    void logitsLossGradientsAndAdamStepsMatchPyTorch(String name) throws Exception {
        // the backend's configured choice (auto unless SER4J_CONV / ser4j.conv say otherwise), then every
        // convolution direct, then every convolution by Winograd
        for (ConvAlgorithm conv : new ConvAlgorithm[]{null, ConvAlgorithm.DIRECT, ConvAlgorithm.winograd(ConvAlgorithm.DEFAULT_POINTS)})
            matchesPyTorch(name + (conv == null ? "" : " (" + conv + ")"), name, conv);
    }

    private static void matchesPyTorch(String what, String name, ConvAlgorithm conv) throws Exception {
        Golden g = open(name);
        try (g.st) {
            MscnnSpuAtt m = model(g, conv);
            m.zeroGrad();
            double loss = m.forward(g.batch, 0f, 0);
            m.backward();
            float expectedLoss = g.st.floats("loss")[0];
            assertEquals(expectedLoss, loss, 1e-4 * Math.abs(expectedLoss), what + " loss");
            assertClose(what + " logits", m.logits(), g.st.floats("logits"), 1e-4);
            for (ParamLayout.Param p : m.layout().all()) {
                if (g.st.has("grad." + p.name())) assertClose(what + " grad." + p.name(), m.gradient(p.name()), g.st.floats("grad." + p.name()), 1e-3);
                else assertTrue(g.frozen && p.name().equals(ParamLayout.EMBEDDING), what + ": golden data lacks grad." + p.name());
            }
            if (g.frozen) assertClose(what + " frozen embedding takes no gradient", m.gradient(ParamLayout.EMBEDDING),
                    new float[m.layout().get(ParamLayout.EMBEDDING).size()], 0);

            MscnnSpuAtt fresh = model(g, conv);
            for (int s = 0; s < 3; s++) {
                fresh.zeroGrad();
                fresh.forward(g.batch, 0f, 0);
                fresh.backward();
                fresh.adamStep(AdamHyper.paper());
            }
            for (ParamLayout.Param p : fresh.layout().all())
                assertClose(what + " adam3." + p.name(), fresh.parameter(p.name()), g.st.floats("adam3." + p.name()), 1e-3);
        }
    }

    /** {@code |actual - expected| <= tol * max|expected|} element-wise. */
    static void assertClose(String what, float[] actual, float[] expected, double tol) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < actual.length; i++)
            assertTrue(Math.abs(actual[i] - expected[i]) <= tol * scale, what + "[" + i + "]: " + actual[i] + " vs " + expected[i]
                    + " (max |expected| " + scale + ")");
    }
}

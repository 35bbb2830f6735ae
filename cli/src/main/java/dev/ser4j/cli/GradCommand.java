package dev.ser4j.cli;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.io.SafeTensors;
import dev.ser4j.model.Batch;
import dev.ser4j.model.BatchFile;
import dev.ser4j.model.Checkpoint;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.ParamLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./ser4j grad}: the model's gradient on a stored batch, for checking against other implementations.
 * The interface is fixed (other tools rely on it): see the README.
 */
@Command(name = "grad", sortOptions = false,
        description = {"Compute a model's loss and gradients on a stored batch (forward + backward, dropout off).",
                "Writes logits, loss and grad.<param> for every parameter.",
                "--adam-steps N writes the weights after N Adam steps with clipping instead; --init writes fresh weights."})
public final class GradCommand implements Callable<Integer> {
    @Option(names = "--weights", paramLabel = "W", description = "Model weights (safetensors).")
    Path weights;

    @Option(names = "--batch", paramLabel = "X", description = "Batch (safetensors: audio, audio_len, tokens, text_len, labels[, xvector]).")
    Path batch;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Output safetensors file.")
    Path out;

    @Option(names = "--variant", paramLabel = "V",
            description = "The model for --init, or for weights without ser4j's metadata: audio-cnn, audio-cnn-xvector, text-cnn, mscnn-spu or mscnn-spu-att.")
    String variant;

    @Mixin
    AblationOptions ablation;

    @Option(names = "--adam-steps", paramLabel = "N", defaultValue = "0", description = "Take N Adam steps on the batch and write the weights.")
    int adamSteps;

    @Option(names = "--lr", defaultValue = "0.0005", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--init", description = "Write freshly initialised weights (needs --variant; --vocab for text variants).")
    boolean init;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of --init (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--vocab", paramLabel = "V", description = "Vocabulary size for --init, PAD and UNK included.")
    Integer vocab;

    @Override
    public Integer call() throws Exception {
        if (init) return initialise();
        if (weights == null) throw new InputException("--weights", "is required (or --init to create weights)");
        if (batch == null) throw new InputException("--batch", "is required");
        if (adamSteps < 0) throw new InputException("--adam-steps", adamSteps + " is negative");
        MscnnSpuAtt m = loadModel();
        Batch b = BatchFile.read(batch, m.config());
        if (adamSteps > 0) {
            AdamHyper h = AdamHyper.paper().withLr(lr);
            for (int s = 0; s < adamSteps; s++) {
                m.zeroGrad();
                m.forward(b, 0f, 0);
                m.backward();
                m.adamStep(h);
            }
            Checkpoint.save(m, out, Map.of("ser4j.adam_steps", Integer.toString(adamSteps)));
            return 0;
        }
        m.zeroGrad();
        double loss = m.forward(b, 0f, 0);
        m.backward();
        SafeTensors.Writer w = SafeTensors.writer().metadata(m.config().toMetadata())
                .f32("logits", m.logits(), b.size(), m.config().classes())
                .f32("loss", new float[]{(float) loss});
        for (ParamLayout.Param p : m.layout().all()) w.f32("grad." + p.name(), m.gradient(p.name()), p.shape());
        w.write(out);
        return 0;
    }

    private int initialise() throws Exception {
        if (variant == null) throw new InputException("--variant", "is required with --init");
        Variant v = Variant.parse(variant);
        if (v.text && vocab == null) throw new InputException("--vocab", "is required with --init for " + v.id);
        ModelConfig cfg = ablation.apply(ModelConfig.of(v, vocab == null ? 0 : vocab, !ablation.noXvector));
        MscnnSpuAtt m = new MscnnSpuAtt(cfg, new CpuBackend());
        m.initialize(seed);
        Checkpoint.save(m, out, Map.of("ser4j.init_seed", Long.toString(seed)));
        return 0;
    }

    /** The configuration comes from the file's metadata; without one, from --variant, the flags and the shapes. */
    private MscnnSpuAtt loadModel() {
        try (SafeTensors st = SafeTensors.open(weights)) {
            ModelConfig cfg;
            if (st.metadata().containsKey("variant")) {
                cfg = ModelConfig.fromMetadata(weights.toString(), st.metadata());
                if (variant != null && Variant.parse(variant) != cfg.variant())
                    throw new InputException("--variant", variant + " contradicts " + weights + ", which holds a " + cfg.variant().id + " model");
                if (ablation.any())
                    throw new InputException(weights.toString(), "already records its configuration; drop the ablation flags");
            } else {
                if (variant == null)
                    throw new InputException(weights.toString(), "has no model configuration in its metadata; pass --variant");
                cfg = ShapeInference.infer(st, Variant.parse(variant), ablation);
            }
            float[] parameters = Checkpoint.readParameters(st, cfg, name -> false);
            MscnnSpuAtt m = new MscnnSpuAtt(cfg, new CpuBackend());
            m.setParameterBlock(parameters);
            return m;
        }
    }
}

package dev.ser4j.cli;

import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.pipeline.FeatureCache;

import java.util.LinkedHashMap;
import java.util.Map;

/** The model configuration a variant and its flags take on prepared data, and what a checkpoint records of both. */
final class Configs {
    private Configs() {}

    static ModelConfig forData(ModelOptions flags, Variant variant, DataPipeline.Prepared p) {
        boolean haveX = p.xvectorDim() > 0;
        if (variant == Variant.AUDIO_CNN_XVECTOR && !haveX)
            throw new InputException("--variant", "audio-cnn-xvector needs speaker embeddings: pass --xvectors FILE or --xvectors speaker-stats");
        ModelConfig base = ModelConfig.of(variant, p.vocabulary().size(), haveX);
        base = base.withSizes(base.audioDim(), p.embedDim(), haveX ? p.xvectorDim() : base.xvectorDim(), base.filters(), base.hidden());
        return flags.apply(base);
    }

    /** Metadata a trained model needs to turn raw input into its input again. */
    static Map<String, String> checkpointMetadata(DataPipeline.Prepared p) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("vocabulary", p.vocabulary().toJson());
        m.put("tokenizer", "nltk-treebank/1");
        m.put("features", FeatureCache.PARAMETERS);
        m.put("xvector_kind", p.xvectorKind());
        m.put("dataset", p.dataset().name());
        return m;
    }
}

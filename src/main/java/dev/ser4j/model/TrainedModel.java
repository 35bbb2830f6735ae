package dev.ser4j.model;

import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained model as one safetensors file: the parameters (model spec names), the configuration and whatever the
 * pipeline needs to turn raw input into the model's input (vocabulary, feature settings) in {@code __metadata__},
 * and the feature normalisation as the tensors {@code features.mean [dim]} and {@code features.std [dim]}.
 */
public record TrainedModel(MscnnSpuAtt model, FeatureNormalizer normalizer, Map<String, String> metadata) {
    static final String MEAN = "features.mean", STD = "features.std", XV_MEAN = "xvector.mean", XV_STD = "xvector.std";

    public static void save(MscnnSpuAtt model, FeatureNormalizer norm, Map<String, String> meta, Map<String, String> more, Path file)
            throws IOException {
        Map<String, String> all = new LinkedHashMap<>(meta);
        all.putAll(more);
        var w = Checkpoint.writer(model, all).f32(MEAN, norm.mean(), norm.dim()).f32(STD, norm.std(), norm.dim());
        if (norm.xvMean() != null) w.f32(XV_MEAN, norm.xvMean(), norm.xvMean().length).f32(XV_STD, norm.xvStd(), norm.xvStd().length);
        w.write(file);
    }

    /** Loads a trained model; a plain weights file (no normalisation tensors) loads with the identity normalisation. */
    public static TrainedModel load(Path file, Backend backend) {
        try (SafeTensors st = SafeTensors.open(file)) {
            ModelConfig cfg = ModelConfig.fromMetadata(file.toString(), st.metadata());
            Checkpoint.requireParameters(st, cfg);
            MscnnSpuAtt model = new MscnnSpuAtt(cfg, backend);
            Checkpoint.loadWeights(model, st, name -> name.equals(MEAN) || name.equals(STD) || name.equals(XV_MEAN) || name.equals(XV_STD));
            FeatureNormalizer norm = FeatureNormalizer.identity(cfg.audioDim());
            if (st.has(MEAN) || st.has(STD)) {
                float[] xm = null, xs = null;
                if (st.has(XV_MEAN) || st.has(XV_STD)) {
                    xm = st.floats(XV_MEAN, cfg.xvectorDim());
                    xs = st.floats(XV_STD, cfg.xvectorDim());
                }
                norm = new FeatureNormalizer(st.floats(MEAN, cfg.audioDim()), st.floats(STD, cfg.audioDim()), xm, xs);
                for (float[] a : new float[][]{norm.std(), xs == null ? new float[]{1} : xs})
                    for (float v : a)
                        if (!(v > 0) || !Float.isFinite(v)) throw new InputException(file, "has a non-positive or non-finite standard deviation");
            }
            return new TrainedModel(model, norm, st.metadata());
        }
    }
}

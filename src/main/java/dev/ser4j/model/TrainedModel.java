package dev.ser4j.model;

import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A trained model as plain data, and its file: the configuration, the parameter block (in {@link ParamLayout}
 * order), the feature normalisation, and the metadata the pipeline needs to turn raw input into the model's input
 * (vocabulary, feature definition, how speaker embeddings were made) or that records how it was trained. The file is
 * one safetensors checkpoint ({@link Checkpoint}) with the normalisation as the tensors {@code features.mean [dim]},
 * {@code features.std [dim]} (and {@code xvector.mean}, {@code xvector.std} when the model takes a speaker embedding).
 *
 * <p>Reading a file builds no model; {@link #instantiate} puts the parameters on a backend, trainable or not.
 *
 * @param metadata everything in the file's {@code __metadata__} other than the configuration's own keys
 */
public record TrainedModel(ModelConfig config, float[] parameters, FeatureNormalizer normalizer, Map<String, String> metadata) {
    static final String MEAN = "features.mean", STD = "features.std", XV_MEAN = "xvector.mean", XV_STD = "xvector.std";
    private static final Set<String> NORMALISATION = Set.of(MEAN, STD, XV_MEAN, XV_STD);

    public TrainedModel {
        if (parameters.length != new ParamLayout(config).size())
            throw new IllegalArgumentException(parameters.length + " parameters for a model of " + new ParamLayout(config).size());
        metadata = Map.copyOf(metadata);
    }

    /** The weights a model holds now, with its normalisation and metadata. */
    public static TrainedModel of(MscnnSpuAtt model, FeatureNormalizer normalizer, Map<String, String> metadata) {
        return new TrainedModel(model.config(), model.parameterBlock(), normalizer, metadata);
    }

    /** The same model with more metadata (a later key replaces an earlier one). */
    public TrainedModel withMetadata(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(metadata);
        all.putAll(more);
        return new TrainedModel(config, parameters, normalizer, all);
    }

    /** The model's parameters on {@code backend}; {@code trainable = false} allocates no gradient or Adam state. */
    public MscnnSpuAtt instantiate(Backend backend, boolean trainable) {
        MscnnSpuAtt m = new MscnnSpuAtt(config, backend, trainable);
        m.setParameterBlock(parameters);
        return m;
    }

    /** Writes the checkpoint atomically. */
    public void write(Path file) throws IOException {
        writer().write(file);
    }

    /** The checkpoint file's bytes (what {@link #write} writes; {@link #read(byte[], String)} reads them). */
    public byte[] bytes() {
        var out = new java.io.ByteArrayOutputStream();
        try {
            writer().writeTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);          // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    private SafeTensors.Writer writer() {
        var w = Checkpoint.writer(config, parameters, metadata).f32(MEAN, normalizer.mean(), normalizer.dim())
                .f32(STD, normalizer.std(), normalizer.dim());
        if (normalizer.xvMean() != null)
            w.f32(XV_MEAN, normalizer.xvMean(), normalizer.xvMean().length).f32(XV_STD, normalizer.xvStd(), normalizer.xvStd().length);
        return w;
    }

    /** Reads a checkpoint; a plain weights file (no normalisation tensors) reads with the identity normalisation. */
    public static TrainedModel read(Path file) {
        try (SafeTensors st = SafeTensors.open(file)) {
            return read(st);
        }
    }

    /** Reads a checkpoint from its bytes ({@code name} names it in errors: a resource, a stream). */
    public static TrainedModel read(byte[] bytes, String name) {
        try (SafeTensors st = SafeTensors.parse(bytes, name)) {
            return read(st);
        }
    }

    private static TrainedModel read(SafeTensors st) {
        String file = st.file().toString();
        ModelConfig cfg = ModelConfig.fromMetadata(file, st.metadata());
        float[] parameters = Checkpoint.readParameters(st, cfg, NORMALISATION::contains);
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
        Map<String, String> meta = new LinkedHashMap<>(st.metadata());
        meta.keySet().removeAll(cfg.toMetadata().keySet());
        return new TrainedModel(cfg, parameters, norm, meta);
    }
}

package dev.ser4j.model;

import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Model weights as safetensors: one tensor per parameter under the model spec's names and PyTorch shapes, the
 * configuration in {@code __metadata__} ({@link ModelConfig#toMetadata}). A file written by PyTorch with the same
 * names loads here, and ours loads there with {@code safetensors.torch.load_file}.
 */
public final class Checkpoint {
    private Checkpoint() {}

    /** Writes the model's parameters and configuration, plus extra metadata, atomically. */
    public static void save(MscnnSpuAtt model, Path path, Map<String, String> extraMetadata) throws IOException {
        writer(model.config(), model.parameterBlock(), extraMetadata).write(path);
    }

    /**
     * A writer already holding a parameter block (in {@link ParamLayout} order) and its configuration, for callers
     * that add tensors of their own. Extra metadata may not redefine a configuration key.
     */
    public static SafeTensors.Writer writer(ModelConfig config, float[] parameters, Map<String, String> extraMetadata) {
        Map<String, String> meta = config.toMetadata();
        for (String k : extraMetadata.keySet())
            if (meta.containsKey(k)) throw new IllegalArgumentException("metadata key '" + k + "' is part of the model configuration");
        SafeTensors.Writer w = SafeTensors.writer().metadata(meta).metadata(extraMetadata);
        for (ParamLayout.Param p : new ParamLayout(config).all())
            w.f32(p.name(), Arrays.copyOfRange(parameters, p.offset(), p.offset() + p.size()), p.shape());
        return w;
    }

    /** Opens a checkpoint and builds its model (configuration from the metadata) on a backend, trainable. */
    public static MscnnSpuAtt load(Path path, Backend backend) {
        try (SafeTensors st = SafeTensors.open(path)) {
            ModelConfig cfg = ModelConfig.fromMetadata(path.toString(), st.metadata());
            float[] block = readParameters(st, cfg, name -> false);
            MscnnSpuAtt model = new MscnnSpuAtt(cfg, backend);
            model.setParameterBlock(block);
            return model;
        }
    }

    /**
     * Checks that {@code st} holds every parameter of a {@code cfg} model with its exact shape. Called before the
     * parameters are read, it bounds the allocation by the file's size (shapes are checked against the bytes there),
     * whatever sizes the metadata claims.
     */
    public static void requireParameters(SafeTensors st, ModelConfig cfg) {
        String file = st.file().toString();
        for (ParamLayout.Param p : new ParamLayout(cfg).all()) {
            if (!st.has(p.name()))
                throw new InputException(file, "has no tensor '" + p.name() + "', which a " + cfg.variant().id
                        + " model with this configuration needs");
            if (!Arrays.equals(st.entry(p.name()).shape(), p.shape()))
                throw new InputException(file, "tensor '" + p.name() + "' has shape " + st.entry(p.name()).shapeString()
                        + ", expected " + p.shapeString());
        }
    }

    /**
     * The parameter block of a {@code cfg} model read from {@code st}, checking that every parameter is present with
     * its exact shape and finite, that the embedding's PAD row is zero, and that the file holds no tensor that is
     * neither a parameter nor {@code auxiliary}.
     */
    public static float[] readParameters(SafeTensors st, ModelConfig cfg, Predicate<String> auxiliary) {
        String file = st.file().toString();
        requireParameters(st, cfg);
        ParamLayout layout = new ParamLayout(cfg);
        float[] block = new float[layout.size()];
        Set<String> expected = new HashSet<>();
        for (ParamLayout.Param p : layout.all()) {
            expected.add(p.name());
            float[] values = st.floats(p.name(), p.shape());
            for (float v : values)
                if (!Float.isFinite(v)) throw new InputException(file, "tensor '" + p.name() + "' holds a non-finite value");
            System.arraycopy(values, 0, block, p.offset(), p.size());
        }
        for (String name : st.names())
            if (!expected.contains(name) && !auxiliary.test(name))
                throw new InputException(file, "has an unexpected tensor '" + name + "', not a parameter of a "
                        + cfg.variant().id + " model with this configuration");
        if (layout.has(ParamLayout.EMBEDDING)) {
            int pad = layout.get(ParamLayout.EMBEDDING).offset();
            for (int d = 0; d < cfg.embedDim(); d++)
                if (block[pad + d] != 0f) throw new InputException(file, "has a non-zero PAD row (row 0) in '" + ParamLayout.EMBEDDING + "'");
        }
        return block;
    }
}

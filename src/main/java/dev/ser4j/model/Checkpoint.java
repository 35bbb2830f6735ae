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
        writer(model, extraMetadata).write(path);
    }

    /** A writer already holding the parameters and configuration, for callers that add tensors of their own. */
    public static SafeTensors.Writer writer(MscnnSpuAtt model, Map<String, String> extraMetadata) {
        Map<String, String> config = model.config().toMetadata();
        for (String k : extraMetadata.keySet())
            if (config.containsKey(k)) throw new IllegalArgumentException("metadata key '" + k + "' is part of the model configuration");
        SafeTensors.Writer w = SafeTensors.writer().metadata(config).metadata(extraMetadata);
        float[] block = model.parameterBlock();
        for (ParamLayout.Param p : model.layout().all())
            w.f32(p.name(), Arrays.copyOfRange(block, p.offset(), p.offset() + p.size()), p.shape());
        return w;
    }

    /** Opens a checkpoint and builds its model (configuration from the metadata) on a backend. */
    public static MscnnSpuAtt load(Path path, Backend backend) {
        try (SafeTensors st = SafeTensors.open(path)) {
            ModelConfig cfg = ModelConfig.fromMetadata(path.toString(), st.metadata());
            requireParameters(st, cfg);
            MscnnSpuAtt model = new MscnnSpuAtt(cfg, backend);
            loadWeights(model, st, name -> false);
            return model;
        }
    }

    /**
     * Checks that {@code st} holds every parameter of a {@code cfg} model with its exact shape. Called before the
     * model is allocated, it bounds the allocation by the file's size (shapes are checked against the bytes there),
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
     * Copies every parameter of {@code model} from {@code st}, checking that each is present with its exact shape
     * and finite, and that the file holds no tensor that is neither a parameter nor {@code auxiliary}.
     */
    public static void loadWeights(MscnnSpuAtt model, SafeTensors st, Predicate<String> auxiliary) {
        String file = st.file().toString();
        requireParameters(st, model.config());
        Set<String> expected = new HashSet<>();
        for (ParamLayout.Param p : model.layout().all()) {
            expected.add(p.name());
            float[] values = st.floats(p.name(), p.shape());
            for (float v : values)
                if (!Float.isFinite(v)) throw new InputException(file, "tensor '" + p.name() + "' holds a non-finite value");
            model.setParameter(p.name(), values);
        }
        for (String name : st.names())
            if (!expected.contains(name) && !auxiliary.test(name))
                throw new InputException(file, "has an unexpected tensor '" + name + "', not a parameter of a "
                        + model.config().variant().id + " model with this configuration");
        float[] emb = model.layout().has(ParamLayout.EMBEDDING) ? model.parameter(ParamLayout.EMBEDDING) : new float[0];
        for (int d = 0; d < Math.min(emb.length, model.config().embedDim()); d++)
            if (emb[d] != 0f) throw new InputException(file, "has a non-zero PAD row (row 0) in '" + ParamLayout.EMBEDDING + "'");
    }
}

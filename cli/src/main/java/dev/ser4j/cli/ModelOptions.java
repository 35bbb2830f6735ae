package dev.ser4j.cli;

import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The model a training command builds: its variant (the paper's model by default) and the ablation flags. */
public final class ModelOptions {
    @Option(names = "--variant", paramLabel = "V", defaultValue = "mscnn-spu-att",
            description = "The model: audio-cnn, audio-cnn-xvector, text-cnn, mscnn-spu or mscnn-spu-att (default: ${DEFAULT-VALUE}).")
    String variant;

    @Mixin
    AblationOptions ablation;

    /** The variant of {@code --variant}; a wrong name is an error naming the variants. */
    Variant variant() {
        return Variant.parse(variant);
    }

    /**
     * Checks the variant and the ablation flags against whether speaker embeddings were asked for ({@code --xvectors}),
     * before any data is read.
     */
    void check(boolean speakerEmbeddings) {
        Variant v = variant();
        if (speakerEmbeddings && v == Variant.AUDIO_CNN)
            throw new InputException("--xvectors", "audio-cnn takes no speaker embedding; --variant audio-cnn-xvector is the audio model with x-vectors");
        if (speakerEmbeddings && v == Variant.TEXT_CNN)
            throw new InputException("--xvectors",
                    "text-cnn takes no speaker embedding; --variant audio-cnn-xvector (or mscnn-spu-att) is a model with x-vectors");
        if (!speakerEmbeddings && v == Variant.AUDIO_CNN_XVECTOR)
            throw new InputException("--variant", "audio-cnn-xvector needs speaker embeddings: pass --xvectors FILE or --xvectors speaker-stats");
        apply(ModelConfig.of(v, 2, speakerEmbeddings));              // an ablation the variant does not have fails now
    }

    /**
     * The line that says mscnn-spu or mscnn-spu-att will be trained without the x-vector because no speaker embeddings
     * were given (the paper's "w/o x-vector" ablation), or null when that is not so.
     */
    String withoutXvectorNote(boolean speakerEmbeddings) {
        Variant v = variant();
        if (speakerEmbeddings || ablation.noXvector || !(v == Variant.MSCNN_SPU || v == Variant.MSCNN_SPU_ATT)) return null;
        return "note: without --xvectors, " + v.id + " is trained without the x-vector (the paper's 'w/o x-vector' ablation);"
                + " --xvectors FILE or --xvectors speaker-stats gives the full model";
    }

    /** Applies the ablation flags to a configuration. */
    ModelConfig apply(ModelConfig c) {
        return ablation.apply(c);
    }
}

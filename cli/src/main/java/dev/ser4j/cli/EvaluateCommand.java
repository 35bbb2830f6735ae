package dev.ser4j.cli;

import dev.ser4j.audio.WaveAugment;
import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.data.Dataset;
import dev.ser4j.io.AtomicFiles;
import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.TrainedModel;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.pipeline.ModelInput;
import dev.ser4j.pipeline.SpeakerNorm;
import dev.ser4j.text.Vocabulary;
import dev.ser4j.train.CrossValidation;
import dev.ser4j.train.Metrics;
import dev.ser4j.train.Predictor;
import dev.ser4j.train.Report;
import dev.ser4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./ser4j evaluate}: a trained model on another data set, with the same report as cross-validation. */
@Command(name = "evaluate", sortOptions = false, description = "Score a trained model on a labelled data set; writes report.json, report.md, confusion.png and predictions.tsv.")
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.safetensors")
    Path modelFile;

    @Mixin
    DataOptions data;

    @Mixin
    BackendOptions backend;

    @Option(names = "--out", required = true, paramLabel = "RUN_DIR", description = "Directory for the report.")
    Path out;

    @Override
    public Integer call() throws Exception {
        TrainedModel tm = TrainedModel.read(modelFile);
        data.classes = tm.config().labels().csv();                   // the model's classes, in its order
        Dataset ds = data.open();
        if (!ds.labeled()) throw new InputException("--data", ds.name() + " has unlabelled utterances; evaluate needs a label for each");
        try (Backend be = backend.open(); MscnnSpuAtt model = tm.instantiate(be, false)) {
            String vocab = tm.metadata().get("vocabulary");
            if (tm.config().variant().text && vocab == null)
                throw new InputException(modelFile, "has no vocabulary in its metadata; it was not written by ./ser4j train or cv");
            String kind = tm.metadata().getOrDefault("xvector_kind", "none");
            if (tm.config().xvector() && kind.equals(DataPipeline.SPEAKER_STATS)) data.xvectors = DataPipeline.SPEAKER_STATS;
            else if (tm.config().xvector() && data.xvectors == null)
                throw new InputException("--xvectors", "is required: " + modelFile + " was trained with " + tm.config().xvectorDim() + "-d x-vectors");
            else if (!tm.config().xvector()) data.xvectors = null;
            long t0 = System.nanoTime();
            SpeakerNorm norm = SpeakerNorm.parse(modelFile + " metadata 'speaker_norm'", tm.metadata().getOrDefault("speaker_norm", "none"));
            DataPipeline.Prepared p = data.prepare(ds, vocab == null ? null : Vocabulary.fromJson(modelFile + " metadata 'vocabulary'", vocab), 0,
                    new ModelInput(Boolean.parseBoolean(tm.metadata().getOrDefault("trim_silence", "false"))), norm, WaveAugment.NONE, System.out);
            List<Example> ex = p.examples();
            Batcher batcher = new Batcher(tm.config(), tm.normalizer());
            float[] probs = Predictor.probabilities(model, batcher, ex, 64);
            int E = tm.config().classes();
            int[] truth = new int[ex.size()], pred = new int[ex.size()];
            StringBuilder tsv = new StringBuilder("id\tspeaker\ttrue\tpredicted");
            for (String c : tm.config().labels().names()) tsv.append("\tp_").append(c);
            tsv.append('\n');
            for (int i = 0; i < ex.size(); i++) {
                truth[i] = ex.get(i).label();
                pred[i] = MscnnSpuAtt.argmax(probs, i, E);
                tsv.append(ex.get(i).id()).append('\t').append(ex.get(i).speaker()).append('\t').append(tm.config().labels().name(truth[i]))
                        .append('\t').append(tm.config().labels().name(pred[i]));
                for (int c = 0; c < E; c++) tsv.append('\t').append(String.format(Locale.ROOT, "%.5f", probs[i * E + c]));
                tsv.append('\n');
            }
            Metrics m = Metrics.of(truth, pred, E);
            double secs = (System.nanoTime() - t0) / 1e9;
            CrossValidation.Run run = new CrossValidation.Run("held-out", 1, 0, m,
                    new Trainer.Result(List.of(), 0, Double.NaN, "evaluation of " + modelFile), secs, 0, 0);
            Map<String, Object> context = new LinkedHashMap<>(p.info());
            context.put("model", modelFile.toString());
            context.put("backend", be.name());
            java.nio.file.Files.createDirectories(out);
            Report.write(out, tm.config(), "none (held-out evaluation)", 1, context, List.of(run), secs, ReportFigures.PNG);
            AtomicFiles.writeString(out.resolve("predictions.tsv"), tsv.toString());
            System.out.printf("%s on %s (%d utterances): WA %.1f%%  UA %.1f%%; report in %s%n", modelFile, ds.name(), ex.size(),
                    100 * m.wa(), 100 * m.ua(), out.resolve("report.md"));
        }
        return 0;
    }
}

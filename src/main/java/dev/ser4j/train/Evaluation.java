package dev.ser4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.core.Labels;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.io.AtomicFiles;
import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.TrainedModel;
import dev.ser4j.runtime.Versions;
import dev.ser4j.text.Vocabulary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A trained model scored on a labelled data set ({@code ./ser4j evaluate}): WA, UA, per-class precision, recall and
 * F1, the confusion matrix, the share of the data's words the model does not know (text models), and a report of its
 * own kind in a directory: {@code report.json} ({@code summary.wa_mean}, {@code ua_mean} as fractions, their
 * {@code _std} 0: one model, one scoring), {@code report.md}, {@code predictions.tsv} and the confusion figure.
 */
public final class Evaluation {
    private Evaluation() {}

    /** The checkpoint keys a report repeats: how the model was trained. */
    static boolean trainingKey(String key) {
        return key.equals("recipe") || key.equals("dataset") || key.startsWith("train.") || key.equals("fold") || key.equals("seed");
    }

    /**
     * One scoring.
     *
     * @param model         the model file, as the report names it
     * @param dataset       the data set's name
     * @param config        the model's configuration
     * @param training      the checkpoint's recipe and training metadata ({@code recipe}, {@code dataset}, {@code train.*})
     * @param examples      the utterances scored, in order
     * @param probabilities class probabilities {@code [n, classes]}
     * @param metrics       WA, UA, per class, confusion
     * @param words         tokens in the examples' transcripts (0 for a model without text)
     * @param unknown       of those, the ones outside the model's vocabulary
     * @param seconds       the time the predictions took
     */
    public record Result(String model, String dataset, ModelConfig config, Map<String, String> training, List<Example> examples,
                         float[] probabilities, Metrics metrics, long words, long unknown, double seconds) {
        /** The share of the transcripts' words the model does not know; NaN without words. */
        public double unknownRate() {
            return words == 0 ? Double.NaN : unknown / (double) words;
        }

        /** The predicted class of example {@code i}. */
        public int predicted(int i) {
            return MscnnSpuAtt.argmax(probabilities, i, config.classes());
        }
    }

    /**
     * Scores {@code tm} on {@code examples}, made from the data with the model's own vocabulary, classes and input
     * settings; every example needs a label.
     *
     * @param name    the model file, for the report
     * @param dataset the data set's name, for the report
     */
    public static Result evaluate(TrainedModel tm, String name, String dataset, List<Example> examples, Backend backend) {
        if (examples.isEmpty()) throw new InputException(dataset, "holds no utterance to evaluate on");
        for (Example e : examples)
            if (e.label() < 0) throw new InputException(dataset, "has no label for " + e.id() + "; evaluation needs a label for each utterance");
        ModelConfig cfg = tm.config();
        long t0 = System.nanoTime();
        float[] probs;
        try (MscnnSpuAtt model = tm.instantiate(backend, false)) {
            probs = Predictor.probabilities(model, new Batcher(cfg, tm.normalizer()), examples, 64);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int[] truth = new int[examples.size()], pred = new int[examples.size()];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = examples.get(i).label();
            pred[i] = MscnnSpuAtt.argmax(probs, i, cfg.classes());
        }
        long words = 0, unknown = 0;
        if (cfg.variant().text)
            for (Example e : examples) {
                words += e.tokens().length;
                for (int t : e.tokens()) if (t == Vocabulary.UNK) unknown++;
            }
        Map<String, String> training = new LinkedHashMap<>();
        tm.metadata().forEach((k, v) -> {
            if (trainingKey(k)) training.put(k, v);
        });
        return new Result(name, dataset, cfg, training, List.copyOf(examples), probs, Metrics.of(truth, pred, cfg.classes()), words, unknown,
                seconds);
    }

    /**
     * Writes {@code report.json}, {@code report.md}, {@code predictions.tsv} and the confusion figure of {@code r}
     * into {@code dir} (which exists); {@code context} describes the data (utterances, skipped, ...) and the backend.
     */
    public static Report.Summary write(Path dir, Result r, Map<String, Object> context, Report.Figures figures) throws IOException {
        ModelConfig cfg = r.config();
        Metrics m = r.metrics();
        Report.Summary s = new Report.Summary(m.wa(), 0, m.ua(), 0, 1, m, cfg.labels());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("kind", "evaluation");
        root.put("model", r.model());
        root.put("dataset", r.dataset());
        root.put("variant", cfg.variant().id);
        root.put("method", cfg.variant().paperName);
        root.put("modality", cfg.variant().modality());
        root.set("config", json.valueToTree(Report.config(cfg)));
        root.set("training", json.valueToTree(r.training()));
        root.set("context", json.valueToTree(context));
        ObjectNode sum = root.putObject("summary");
        Report.num(sum, "wa", m.wa());
        Report.num(sum, "ua", m.ua());
        Report.num(sum, "wa_mean", m.wa());
        sum.put("wa_std", 0.0);
        Report.num(sum, "ua_mean", m.ua());
        sum.put("ua_std", 0.0);
        sum.put("utterances", m.n());
        Report.classesJson(json, sum, m, cfg.labels());
        if (cfg.variant().text) {
            ObjectNode u = sum.putObject("unknown_words");
            u.put("words", r.words()).put("unknown", r.unknown());
            Report.num(u, "rate", r.unknownRate());
        }
        ObjectNode t = root.putObject("timings");
        t.put("predict_seconds", r.seconds());
        Report.num(t, "utterances_per_second", m.n() / r.seconds());
        root.set("versions", json.valueToTree(Versions.all()));
        AtomicFiles.writeString(dir.resolve("report.json"), json.writeValueAsString(root) + "\n");
        AtomicFiles.writeString(dir.resolve("report.md"), markdown(r, context));
        AtomicFiles.writeString(dir.resolve("predictions.tsv"), predictions(r));
        figures.write(dir, cfg.variant().paperName, s, List.of());
        return s;
    }

    static String markdown(Result r, Map<String, Object> context) {
        ModelConfig cfg = r.config();
        Metrics m = r.metrics();
        StringBuilder md = new StringBuilder();
        md.append("# Evaluation of ").append(r.model()).append(" (").append(cfg.variant().paperName).append(") on ").append(r.dataset()).append("\n\n");
        md.append("- data set: ").append(r.dataset()).append(Report.dataSize(context)).append('\n');
        md.append("- model: ").append(r.model()).append(", ").append(cfg.variant().paperName).append(" (").append(cfg.variant().modality())
                .append("), classes ").append(String.join(", ", cfg.labels().names())).append('\n');
        if (cfg.variant().text)
            md.append(r.words() == 0 ? "- unknown words: the transcripts hold no words\n"
                    : String.format(Locale.ROOT, "- unknown words: %d of the %d words (%.1f%%) are not in the model's vocabulary%n", r.unknown(),
                    r.words(), 100 * r.unknownRate()));
        md.append("- ").append(Report.software(context)).append("\n\n");
        md.append(String.format(Locale.ROOT, "| method | modality | WA | UA | utterances |%n|---|---|---|---|---|%n| %s | %s | %.1f%% | %.1f%% | %d |%n",
                cfg.variant().paperName, cfg.variant().modality(), 100 * m.wa(), 100 * m.ua(), m.n()));
        Report.classesMarkdown(md, m, cfg.labels(), "");
        md.append("\n## How the model was trained (from its checkpoint)\n\n");
        if (r.training().isEmpty()) md.append("The checkpoint records no training metadata.\n");
        else {
            md.append("| key | value |\n|---|---|\n");
            r.training().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        }
        return md.toString();
    }

    /** One row per utterance: id, speaker, true and predicted class, each class's probability. */
    static String predictions(Result r) {
        Labels labels = r.config().labels();
        int E = r.config().classes();
        StringBuilder tsv = new StringBuilder("id\tspeaker\ttrue\tpredicted");
        for (String c : labels.names()) tsv.append("\tp_").append(c);
        tsv.append('\n');
        for (int i = 0; i < r.examples().size(); i++) {
            Example e = r.examples().get(i);
            tsv.append(e.id()).append('\t').append(e.speaker()).append('\t').append(labels.name(e.label())).append('\t')
                    .append(labels.name(r.predicted(i)));
            for (int c = 0; c < E; c++) tsv.append('\t').append(String.format(Locale.ROOT, "%.5f", r.probabilities()[i * E + c]));
            tsv.append('\n');
        }
        return tsv.toString();
    }
}

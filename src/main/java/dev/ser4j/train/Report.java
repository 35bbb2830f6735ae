package dev.ser4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ser4j.core.Labels;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.io.AtomicFiles;
import dev.ser4j.runtime.Versions;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a cross-validation run leaves in its directory: {@code report.json} (what was run: the protocol, the recipe,
 * the configuration, the data set; per-fold and summary metrics, timings, versions with the git commit;
 * {@code summary.wa_mean} etc. as fractions), {@code report.md} (the same, headed by what was run), and the {@link Figures}
 * (the command line draws {@code confusion.png}, the confusion matrix summed over folds and runs as row
 * percentages, and {@code learning-curves.png}).
 */
public final class Report {
    private Report() {}

    /** The pictures of a report, drawn by whoever can draw them (the command line, with XChart). */
    @FunctionalInterface
    public interface Figures {
        /** No pictures. */
        Figures NONE = (dir, method, summary, runs) -> {};

        /** Draws the figures of {@code runs} of the model {@code method} into {@code dir}. */
        void write(Path dir, String method, Summary summary, List<CrossValidation.Run> runs) throws IOException;
    }

    /** Mean and sample standard deviation over folds x runs, and the summed confusion matrix of the classes. */
    public record Summary(double waMean, double waStd, double uaMean, double uaStd, int runs, Metrics pooled, Labels classes) {}

    /** The summary of {@code runs} of a model of {@code classes}. */
    public static Summary summarize(List<CrossValidation.Run> runs, Labels classes) {
        DescriptiveStatistics wa = new DescriptiveStatistics(), ua = new DescriptiveStatistics();
        int k = classes.size();
        int[][] cm = new int[k][k];
        for (CrossValidation.Run r : runs) {
            wa.addValue(r.test().wa());
            ua.addValue(r.test().ua());
            for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) cm[i][j] += r.test().confusion()[i][j];
        }
        return new Summary(wa.getMean(), std(wa), ua.getMean(), std(ua), runs.size(), Metrics.fromConfusion(cm), classes);
    }

    private static double std(DescriptiveStatistics s) {
        return s.getN() < 2 ? 0 : s.getStandardDeviation();
    }

    /**
     * What a cross-validation ran, for its report: the fold scheme and how many of its folds ran (the first
     * {@code foldsRun} of {@code foldsTotal}), runs per fold, the stopping rule, the data set, and the recipe (its
     * name and each ingredient's value).
     */
    public record Protocol(String folds, int foldsRun, int foldsTotal, int repeats, int maxEpochs, int patience, String dataset,
                           Map<String, Object> recipe) {
        public Protocol {
            recipe = Collections.unmodifiableMap(new LinkedHashMap<>(recipe));
        }

        /** One line: {@code session folds, 2 of 8 folds, 1 run per fold, at most 6 epochs (patience 3)}. */
        public String describe() {
            return String.format(Locale.ROOT, "%s folds, %d of %d folds, %d run%s per fold, at most %d epochs (patience %d)", folds, foldsRun,
                    foldsTotal, repeats, repeats == 1 ? "" : "s", maxEpochs, patience);
        }

        /** The recipe in one line: {@code paper (trim_silence false, speaker_norm none, ...)}. */
        public String describeRecipe() {
            StringBuilder sb = new StringBuilder(String.valueOf(recipe.getOrDefault("name", "unnamed")));
            String ingredients = recipe.entrySet().stream().filter(e -> !e.getKey().equals("name")).map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
            return ingredients.isEmpty() ? sb.toString() : sb.append(" (").append(ingredients).append(')').toString();
        }
    }

    /** The model configuration as a report shows it: without the checkpoint's family marker {@code ser4j.model}. */
    static Map<String, String> config(ModelConfig cfg) {
        Map<String, String> m = new LinkedHashMap<>(cfg.toMetadata());
        m.remove("ser4j.model");
        return m;
    }

    /** Writes report.json, report.md and the figures into {@code dir}. */
    public static Summary write(Path dir, ModelConfig cfg, Protocol protocol, Map<String, Object> context,
                                List<CrossValidation.Run> runs, double seconds, Figures figures) throws IOException {
        Summary s = summarize(runs, cfg.labels());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("variant", cfg.variant().id);
        root.put("method", cfg.variant().paperName);
        root.put("modality", cfg.variant().modality());
        root.put("folds", protocol.folds());
        root.put("repeats", protocol.repeats());
        ObjectNode p = root.putObject("protocol");
        p.put("folds", protocol.folds()).put("folds_run", protocol.foldsRun()).put("folds_total", protocol.foldsTotal())
                .put("repeats", protocol.repeats()).put("max_epochs", protocol.maxEpochs()).put("patience", protocol.patience())
                .put("dataset", protocol.dataset());
        p.set("recipe", json.valueToTree(protocol.recipe()));
        root.set("config", json.valueToTree(config(cfg)));
        root.set("context", json.valueToTree(context));
        ObjectNode sum = root.putObject("summary");
        num(sum, "wa_mean", s.waMean);
        num(sum, "wa_std", s.waStd);
        num(sum, "ua_mean", s.uaMean);
        num(sum, "ua_std", s.uaStd);
        sum.put("runs", s.runs);
        classesJson(json, sum, s.pooled, s.classes);
        ArrayNode per = root.putArray("per_fold");
        for (CrossValidation.Run r : runs) {
            ObjectNode n = per.addObject();
            n.put("fold", r.fold()).put("run", r.run()).put("seed", r.seed());
            num(n, "wa", r.test().wa());
            num(n, "ua", r.test().ua());
            n.put("test_size", r.test().n()).put("train_size", r.trainSize()).put("dev_size", r.devSize())
                    .put("best_epoch", r.training().bestEpoch());
            Trainer.Epoch best = r.training().best();
            num(n, "best_dev_ua", best == null ? Double.NaN : best.devUa());
            if (best != null && !Double.isNaN(best.devUaWithoutText())) num(n, "best_dev_ua_without_text", best.devUaWithoutText());
            n.put("epochs", r.training().history().size()).put("stop", r.training().stopReason()).put("seconds", r.seconds());
            n.set("confusion", json.valueToTree(r.test().confusion()));
            ArrayNode h = n.putArray("history");
            for (Trainer.Epoch e : r.training().history()) {
                ObjectNode o = h.addObject().put("epoch", e.epoch());
                num(o, "train_loss", e.trainLoss());
                num(o, "dev_wa", e.devWa());
                num(o, "dev_ua", e.devUa());
                if (!Double.isNaN(e.devUaWithoutText())) num(o, "dev_ua_without_text", e.devUaWithoutText());
                o.put("seconds", e.seconds()).put("utterances_per_second", e.uttPerSecond());
            }
        }
        ObjectNode t = root.putObject("timings");
        t.put("total_seconds", seconds);
        num(t, "mean_train_utterances_per_second", runs.stream().flatMap(r -> r.training().history().stream())
                .mapToDouble(Trainer.Epoch::uttPerSecond).average().orElse(Double.NaN));
        root.set("versions", json.valueToTree(Versions.all()));
        AtomicFiles.writeString(dir.resolve("report.json"), json.writeValueAsString(root) + "\n");
        AtomicFiles.writeString(dir.resolve("report.md"), markdown(cfg, protocol, context, s, runs, seconds));
        figures.write(dir, cfg.variant().paperName, s, runs);
        return s;
    }

    /** {@code confusion} and {@code per_class} (precision, recall, F1, support of each class) of {@code m} in {@code o}. */
    static void classesJson(ObjectMapper json, ObjectNode o, Metrics m, Labels classes) {
        o.set("confusion", json.valueToTree(m.confusion()));
        ObjectNode perClass = o.putObject("per_class");
        for (int c = 0; c < classes.size(); c++) {
            ObjectNode pc = perClass.putObject(classes.name(c));
            num(pc, "precision", m.precision()[c]);
            num(pc, "recall", m.recall()[c]);
            num(pc, "f1", m.f1()[c]);
            pc.put("support", Arrays.stream(m.confusion()[c]).sum());
        }
    }

    /** The per-class table and the confusion matrix of {@code m} as markdown sections; {@code pooled}: say how it was pooled. */
    static void classesMarkdown(StringBuilder md, Metrics m, Labels classes, String pooled) {
        md.append("\n## Per class").append(pooled).append("\n\n| class | precision | recall | F1 | support |\n|---|---|---|---|---|\n");
        for (int c = 0; c < classes.size(); c++) {
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %d |%n", classes.name(c), m.precision()[c], m.recall()[c],
                    m.f1()[c], Arrays.stream(m.confusion()[c]).sum()));
        }
        md.append("\n## Confusion (rows true, columns predicted)\n\n| | ");
        for (String name : classes.names()) md.append(name).append(" | ");
        md.append("\n|---|").append("---|".repeat(classes.size())).append('\n');
        for (int c = 0; c < classes.size(); c++) {
            md.append("| ").append(classes.name(c)).append(" | ");
            for (int v : m.confusion()[c]) md.append(v).append(" | ");
            md.append('\n');
        }
    }

    static void num(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v); else o.putNull(key);
    }

    static String markdown(ModelConfig cfg, Protocol protocol, Map<String, Object> context, Summary s, List<CrossValidation.Run> runs,
                           double seconds) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(cfg.variant().paperName).append(" — ").append(protocol.folds()).append(" cross-validation\n\n");
        md.append("- data set: ").append(protocol.dataset()).append(dataSize(context)).append('\n');
        md.append("- protocol: ").append(protocol.describe()).append('\n');
        md.append("- recipe: ").append(protocol.describeRecipe()).append('\n');
        md.append("- ").append(software(context)).append("\n\n");
        md.append(String.format(Locale.ROOT, "| method | modality | WA | UA | runs |%n|---|---|---|---|---|%n| %s | %s | %s | %s | %d |%n%n",
                cfg.variant().paperName, cfg.variant().modality(), pm(s.waMean, s.waStd), pm(s.uaMean, s.uaStd), s.runs));
        md.append("Mean ± sample standard deviation over folds × runs (").append(protocol.repeats()).append(" run(s) per fold); ")
                .append(String.format(Locale.ROOT, "%.0f s in all.%n%n", seconds));
        md.append("## Per fold\n\n| fold | run | WA | UA | best epoch | epochs | test size |\n|---|---|---|---|---|---|---|\n");
        for (CrossValidation.Run r : runs)
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f%% | %.1f%% | %d | %d | %d |%n", r.fold(), r.run(), 100 * r.test().wa(),
                    100 * r.test().ua(), r.training().bestEpoch(), r.training().history().size(), r.test().n()));
        classesMarkdown(md, s.pooled, s.classes, " (all folds and runs pooled)");
        return md.toString();
    }

    /** {@code  (128 utterances, 2 skipped)} from a report's context, or nothing. */
    static String dataSize(Map<String, Object> context) {
        if (!context.containsKey("utterances")) return "";
        Object skipped = context.get("skipped");
        return " (" + context.get("utterances") + " utterances" + (skipped == null || skipped.equals(0) ? "" : ", " + skipped + " skipped") + ")";
    }

    /** {@code ser4j 0.1.0 (commit 2e432dc), Java 25, backend cpu}: what produced a report. */
    static String software(Map<String, Object> context) {
        return "ser4j " + Versions.ser4j() + " (commit " + Versions.commit() + "), Java " + Runtime.version().feature()
                + (context.containsKey("backend") ? ", backend " + context.get("backend") : "");
    }

    /** {@code 62.1 ± 3.2} in percent. */
    public static String pm(double mean, double std) {
        return String.format(Locale.ROOT, "%.1f ± %.1f", 100 * mean, 100 * std);
    }
}

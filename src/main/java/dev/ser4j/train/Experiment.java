package dev.ser4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Pooling;
import dev.ser4j.core.Variant;
import dev.ser4j.io.AtomicFiles;
import dev.ser4j.model.Example;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The paper's tables: every row of Table 1 (the five models) or Table 2 (the ablations of MSCNN-SPU-ATT)
 * cross-validated with one protocol, each row into a directory of its own, and the table as text, markdown and JSON.
 */
public final class Experiment {
    private Experiment() {}

    /** One row of a table: its label, the variant and the ablation applied to it. */
    public record Row(String id, String method, Variant variant, UnaryOperator<ModelConfig> ablation, boolean needsXvector) {}

    /** A finished row (null summary: skipped, with the reason). */
    public record Result(Row row, Report.Summary summary, String skipped) {
        public String modality() { return row.variant().modality(); }
    }

    /** The rows of {@code table1} or {@code table2}. */
    public static List<Row> rows(String table) {
        return switch (table) {
            case "table1" -> List.of(
                    new Row("audio-cnn", "Audio-CNN", Variant.AUDIO_CNN, c -> c, false),
                    new Row("audio-cnn-xvector", "Audio-CNN-xvector", Variant.AUDIO_CNN_XVECTOR, c -> c, true),
                    new Row("text-cnn", "Text-CNN", Variant.TEXT_CNN, c -> c, false),
                    new Row("mscnn-spu", "MSCNN-SPU", Variant.MSCNN_SPU, c -> c, false),
                    new Row("mscnn-spu-att", "MSCNN-SPU-ATT", Variant.MSCNN_SPU_ATT, c -> c, false));
            case "table2" -> List.of(
                    new Row("mscnn-spu-att", "MSCNN-SPU-ATT", Variant.MSCNN_SPU_ATT, c -> c, false),
                    new Row("no-xvector", "  w/o x-vector", Variant.MSCNN_SPU_ATT, c -> c.withXvector(false), true),
                    new Row("audio-pooling-max", "  audio SPU -> max pooling", Variant.MSCNN_SPU_ATT, c -> c.withAudioPooling(Pooling.MAX), false),
                    new Row("text-pooling-max", "  text SPU -> max pooling", Variant.MSCNN_SPU_ATT, c -> c.withTextPooling(Pooling.MAX), false),
                    new Row("no-swem", "  w/o SWEM", Variant.MSCNN_SPU_ATT, c -> c.withSwem(false), false));
            default -> throw new InputException(table, "is not a table; expected table1 or table2");
        };
    }

    /**
     * Cross-validates every row with {@code protocol} (whose model is replaced by each row's) into {@code dir/<row id>}.
     * A row that needs speaker embeddings is skipped, with the reason, when {@code speakerEmbeddings} is false.
     *
     * @param configs the model configuration of a variant on this data (vocabulary and embedding sizes)
     */
    public static List<Result> run(List<Row> rows, Function<Variant, ModelConfig> configs, boolean speakerEmbeddings,
                                   List<Example> data, CrossValidation.Settings protocol, Backend backend, Path dir,
                                   Map<String, Object> dataInfo, Report.Figures figures, PrintStream log, AtomicBoolean stop)
            throws IOException {
        return run(rows, configs, speakerEmbeddings, data, protocol, CrossValidation::run, backend, dir, dataInfo, figures, log, stop);
    }

    /** {@link #run} with each row's (fold, run)s carried out by {@code runner} (a cluster's, or {@link CrossValidation#run}). */
    public static List<Result> run(List<Row> rows, Function<Variant, ModelConfig> configs, boolean speakerEmbeddings,
                                   List<Example> data, CrossValidation.Settings protocol, CrossValidation.Runs runner, Backend backend,
                                   Path dir, Map<String, Object> dataInfo, Report.Figures figures, PrintStream log, AtomicBoolean stop)
            throws IOException {
        List<Result> results = new ArrayList<>();
        for (Row r : rows) {
            if (r.needsXvector && !speakerEmbeddings) {
                results.add(new Result(r, null, "needs speaker embeddings (--xvectors)"));
                continue;
            }
            ModelConfig cfg = r.ablation.apply(configs.apply(r.variant));
            if (log != null) log.println("== " + r.method.strip() + " (" + cfg.headInput() + "-wide head input)");
            Report.Summary s = CrossValidation.crossValidate(data, protocol.withConfig(cfg), runner, backend, dir.resolve(r.id), dataInfo,
                    figures, log, stop);
            results.add(new Result(r, s, null));
        }
        return results;
    }

    /** The table as text: method, modality, WA and UA (mean ± std, percent). */
    public static String text(String title, List<Result> results) {
        StringBuilder out = new StringBuilder("\n").append(title).append('\n');
        out.append(String.format(Locale.ROOT, "%-28s %-9s %-14s %-14s%n", "Method", "Modality", "WA (%)", "UA (%)"));
        for (Result r : results)
            if (r.summary == null) out.append(String.format(Locale.ROOT, "%-28s %-9s %s%n", r.row.method, r.modality(), "(skipped: " + r.skipped + ")"));
            else out.append(String.format(Locale.ROOT, "%-28s %-9s %-14s %-14s%n", r.row.method, r.modality(),
                    Report.pm(r.summary.waMean(), r.summary.waStd()), Report.pm(r.summary.uaMean(), r.summary.uaStd())));
        return out.append('\n').toString();
    }

    /** {@code table.md} and {@code table.json} in {@code dir}. */
    public static void writeTable(Path dir, String title, List<Result> results) throws IOException {
        StringBuilder md = new StringBuilder("# " + title + "\n\n| Method | Modality | WA (%) | UA (%) |\n|---|---|---|---|\n");
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode().put("title", title);
        ArrayNode rows = root.putArray("rows");
        for (Result r : results) {
            ObjectNode n = rows.addObject().put("id", r.row.id).put("method", r.row.method.strip()).put("modality", r.modality());
            if (r.summary == null) {
                md.append("| ").append(r.row.method.strip()).append(" | ").append(r.modality()).append(" | skipped: ").append(r.skipped).append(" | |\n");
                n.put("skipped", r.skipped);
            } else {
                md.append("| ").append(r.row.method.strip()).append(" | ").append(r.modality()).append(" | ")
                        .append(Report.pm(r.summary.waMean(), r.summary.waStd())).append(" | ").append(Report.pm(r.summary.uaMean(), r.summary.uaStd())).append(" |\n");
                n.put("wa_mean", r.summary.waMean()).put("wa_std", r.summary.waStd()).put("ua_mean", r.summary.uaMean())
                        .put("ua_std", r.summary.uaStd()).put("runs", r.summary.runs()).put("report", r.row.id + "/report.json");
            }
        }
        AtomicFiles.writeString(dir.resolve("table.md"), md.toString());
        AtomicFiles.writeString(dir.resolve("table.json"), json.writeValueAsString(root) + "\n");
    }

    /** Whether the table shows the paper's claim: a bimodal model beats the best single-modality model. */
    public static String verdict(List<Result> results) {
        double audio = 0, text = 0, both = 0;
        for (Result r : results) {
            if (r.summary() == null) continue;
            double ua = r.summary().uaMean();
            switch (r.modality()) {
                case "A" -> audio = Math.max(audio, ua);
                case "T" -> text = Math.max(text, ua);
                default -> both = Math.max(both, ua);
            }
        }
        return String.format(Locale.ROOT, "best UA: audio only %.1f%%, text only %.1f%%, audio+text %.1f%% -> %s", 100 * audio, 100 * text, 100 * both,
                both > Math.max(audio, text) ? "the bimodal models beat either modality alone, as the paper reports"
                        : "the bimodal models do NOT beat the best single modality in this run");
    }
}

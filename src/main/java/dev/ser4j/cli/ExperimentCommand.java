package dev.ser4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Pooling;
import dev.ser4j.core.Variant;
import dev.ser4j.data.Dataset;
import dev.ser4j.io.AtomicFiles;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.train.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/** {@code ./ser4j experiment table1|table2}: every row of one of the paper's tables, cross-validated, as a table. */
@Command(name = "experiment", sortOptions = false, description = {"Run every row of the paper's Table 1 (the five models) or Table 2",
        "(the ablations of MSCNN-SPU-ATT) with cv's protocol, and print the table (method, modality, WA, UA, ± std)."})
public final class ExperimentCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "table1|table2")
    String table;

    @Mixin
    DataOptions data;

    @Mixin
    FoldOptions protocol;

    @Mixin
    TrainingOptions training;

    @Mixin
    BackendOptions backend;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory for one cv run per row, and table.md / table.json.")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the experiment in DIR where it stopped.")
    Path resume;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    boolean resuming;

    /** One row of a table: its label, the variant and the ablation applied to it. */
    record Row(String id, String method, Variant variant, UnaryOperator<ModelConfig> ablation, boolean needsXvector) {}

    static List<Row> rows(String table) {
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

    /** A finished row (null summary: skipped, with the reason). */
    record Result(Row row, String modality, Report.Summary summary, String skipped) {}

    @Override
    public Integer call() throws Exception {
        if (resume != null) return RunDir.resume(resume, "experiment", ExperimentCommand::new, c -> c.resuming = true);
        List<Row> rows = rows(table);
        protocol.check();
        if (out == null) throw new InputException("--out", "is required (the experiment directory), or --resume DIR");
        if (!resuming) RunDir.start(out, "experiment", spec.commandLine().getParseResult().originalArgs());
        Dataset ds = data.open();
        DataPipeline.Prepared p = data.prepare(ds, null, training.seed, System.out);
        List<Result> results = run(rows, p, out, "experiment --resume " + out);
        String title = String.format(Locale.ROOT, "%s: %s cross-validation on %s (%d utterances), %d run(s) per fold%s", table.equals("table1")
                ? "Table 1" : "Table 2", protocol.folds, p.dataset().name(), p.examples().size(), protocol.repeats,
                protocol.maxFolds > 0 ? ", first " + protocol.maxFolds + " folds" : "");
        printTable(title, results, System.out);
        writeTable(out, title, results);
        System.out.println("reports in " + out);
        return 0;
    }

    List<Result> run(List<Row> rows, DataPipeline.Prepared p, Path dir, String resumeHint) throws Exception {
        ModelOptions none = new ModelOptions();
        List<Result> results = new ArrayList<>();
        try (Backend be = backend.open(); Interrupts interrupts = new Interrupts()) {
            for (Row r : rows) {
                if (r.needsXvector && p.xvectorDim() == 0) {
                    results.add(new Result(r, r.variant.modality(), null, "needs speaker embeddings (--xvectors)"));
                    continue;
                }
                ModelConfig cfg = r.ablation.apply(Configs.forData(none, r.variant, p));
                System.out.println("== " + r.method.strip() + " (" + cfg.headInput() + "-wide head input)");
                Report.Summary s = CvCommand.crossValidate(cfg, p, be, dir.resolve(r.id), interrupts, resumeHint, protocol, training,
                        data.freezeEmbeddings);
                results.add(new Result(r, r.variant.modality(), s, null));
            }
        }
        return results;
    }

    static void printTable(String title, List<Result> results, PrintStream out) {
        out.println();
        out.println(title);
        out.printf("%-28s %-9s %-14s %-14s%n", "Method", "Modality", "WA (%)", "UA (%)");
        for (Result r : results)
            if (r.summary == null) out.printf("%-28s %-9s %s%n", r.row.method, r.modality, "(skipped: " + r.skipped + ")");
            else out.printf("%-28s %-9s %-14s %-14s%n", r.row.method, r.modality, Report.pm(r.summary.waMean(), r.summary.waStd()),
                    Report.pm(r.summary.uaMean(), r.summary.uaStd()));
        out.println();
    }

    static void writeTable(Path dir, String title, List<Result> results) throws java.io.IOException {
        StringBuilder md = new StringBuilder("# " + title + "\n\n| Method | Modality | WA (%) | UA (%) |\n|---|---|---|---|\n");
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode().put("title", title);
        ArrayNode rows = root.putArray("rows");
        for (Result r : results) {
            ObjectNode n = rows.addObject().put("id", r.row.id).put("method", r.row.method.strip()).put("modality", r.modality);
            if (r.summary == null) {
                md.append("| ").append(r.row.method.strip()).append(" | ").append(r.modality).append(" | skipped: ").append(r.skipped).append(" | |\n");
                n.put("skipped", r.skipped);
            } else {
                md.append("| ").append(r.row.method.strip()).append(" | ").append(r.modality).append(" | ")
                        .append(Report.pm(r.summary.waMean(), r.summary.waStd())).append(" | ").append(Report.pm(r.summary.uaMean(), r.summary.uaStd())).append(" |\n");
                n.put("wa_mean", r.summary.waMean()).put("wa_std", r.summary.waStd()).put("ua_mean", r.summary.uaMean())
                        .put("ua_std", r.summary.uaStd()).put("runs", r.summary.runs()).put("report", r.row.id + "/report.json");
            }
        }
        AtomicFiles.writeString(dir.resolve("table.md"), md.toString());
        AtomicFiles.writeString(dir.resolve("table.json"), json.writeValueAsString(root) + "\n");
    }
}

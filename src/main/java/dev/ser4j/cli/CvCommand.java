package dev.ser4j.cli;

import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.data.Dataset;
import dev.ser4j.io.Progress;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.train.CrossValidation;
import dev.ser4j.train.Report;
import dev.ser4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./ser4j cv}: the paper's cross-validation of one model on a data set, with its report. */
@Command(name = "cv", sortOptions = false, description = {"Cross-validate one model: folds x repeats, each trained with early stopping on",
        "its dev part and scored on its test part; writes report.json, report.md, confusion.png, learning-curves.png",
        "and the best checkpoint per fold into --out."})
public final class CvCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Mixin
    FoldOptions protocol;

    @Mixin
    TrainingOptions training;

    @Mixin
    BackendOptions backend;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Directory for the report and checkpoints.")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the cross-validation in RUN_DIR where it stopped.")
    Path resume;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    boolean resuming;

    @Override
    public Integer call() throws Exception {
        if (resume != null) return RunDir.resume(resume, "cv", CvCommand::new, c -> c.resuming = true);
        if (out == null) throw new InputException("--out", "is required (the run directory), or --resume RUN_DIR");
        protocol.check();
        model.variantOr(Variant.MSCNN_SPU_ATT);                       // a wrong variant name fails before any work
        if (!resuming) RunDir.start(out, "cv", spec.commandLine().getParseResult().originalArgs());
        Dataset ds = data.open();
        DataPipeline.Prepared p = data.prepare(ds, null, training.seed, System.out);
        ModelConfig cfg = Configs.forData(model, model.variantOr(Variant.MSCNN_SPU_ATT), p);
        try (Backend be = backend.open(); Interrupts interrupts = new Interrupts()) {
            Report.Summary s = crossValidate(cfg, p, be, out, interrupts, "cv --resume " + out, protocol, training, data.freezeEmbeddings);
            System.out.printf("%s (%s): WA %s  UA %s over %d runs; report in %s%n", cfg.variant().paperName, protocol.folds,
                    Report.pm(s.waMean(), s.waStd()), Report.pm(s.uaMean(), s.uaStd()), s.runs(), out.resolve("report.md"));
        }
        return 0;
    }

    /** Cross-validates {@code cfg} into {@code dir} and writes its report; shared by cv, experiment and demo. */
    static Report.Summary crossValidate(ModelConfig cfg, DataPipeline.Prepared p, Backend be, Path dir, Interrupts interrupts,
                                        String resumeHint, FoldOptions protocol, TrainingOptions training, boolean freeze)
            throws Exception {
        String folds = protocol.folds;
        int repeats = protocol.repeats, maxFolds = protocol.maxFolds;
        Trainer.Config tc = training.config(ConsoleProgress.forTerminal());
        CrossValidation.Settings s = new CrossValidation.Settings(cfg, folds, repeats, maxFolds, tc, p.embedding(), freeze,
                Configs.checkpointMetadata(p));
        long t0 = System.nanoTime();
        List<CrossValidation.Run> runs;
        try {
            runs = CrossValidation.run(p.examples(), s, be, dir, System.out, interrupts.stop);
        } catch (Trainer.Interrupted e) {
            System.out.println("ser4j: " + e.getMessage() + "; continue with ./ser4j " + resumeHint);
            throw new Interrupted();
        }
        Map<String, Object> context = new LinkedHashMap<>(p.info());
        context.put("backend", be.name());
        context.put("max_epochs", tc.maxEpochs());
        context.put("patience", tc.patience());
        context.put("batch_size", tc.batchSize());
        context.put("lr", tc.adam().lr());
        context.put("clip", tc.adam().clipNorm());
        context.put("seed", tc.seed());
        context.put("freeze_embeddings", freeze);
        context.put("max_folds", maxFolds);
        return Report.write(dir, cfg, folds, repeats, context, runs, (System.nanoTime() - t0) / 1e9);
    }

    /** Training was stopped by Ctrl-C after saving its state (exit status 130, as for SIGINT). */
    static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("interrupted");
        }
    }
}

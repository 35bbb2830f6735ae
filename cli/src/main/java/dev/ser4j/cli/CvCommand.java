package dev.ser4j.cli;

import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.train.CrossValidation;
import dev.ser4j.train.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code ./ser4j cv}: the paper's cross-validation of one model on a data set, with its report. ser4j-spark's
 * {@code spark cv} is this command with the (fold, run)s carried out as Spark tasks ({@link #runner}).
 */
@Command(name = "cv", sortOptions = false, description = {"Cross-validate one model on a data set, with its report.",
        "Every fold x --repeats runs, each trained with early stopping on its dev part and scored on its test part; writes report.json,"
                + " report.md, confusion.png, learning-curves.png and the best checkpoint per fold into --out."})
public class CvCommand extends CrossValidationCommand {
    /** The recipe when --recipe is not given. */
    static final TrainingOptions.Recipe RECIPE = TrainingOptions.Recipe.ROBUST;

    @Mixin
    ModelOptions model;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Directory for the report and checkpoints.")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the cross-validation in RUN_DIR where it stopped.")
    Path resume;

    @Override
    public Integer call() throws Exception {
        if (resume != null) return RunDir.resume(resume, runName(), this::fresh, c -> c.resuming = true);
        if (out == null) throw new InputException("--out", "is required (the run directory), or --resume RUN_DIR");
        model.check(trainingData.speakerEmbeddings());
        Started run = start(out, runName(), RECIPE, model.withoutXvectorNote(trainingData.speakerEmbeddings()),
                p -> model.apply(p.configFor(model.variant())));
        CrossValidation.Settings s = run.settings();
        ModelConfig cfg = s.config();
        try (Backend be = backend.open(); Interrupts interrupts = new Interrupts()) {
            Report.Summary r = interrupts.run(runName() + " --resume " + out, () -> CrossValidation.crossValidate(run.data().examples(), s, runner(), be,
                    out, run.info(), ReportFigures.PNG, System.out, interrupts.stop));
            System.out.printf("%s (%s): WA %s  UA %s over %d runs; report in %s%n", cfg.variant().paperName, protocol.folds,
                    Report.pm(r.waMean(), r.waStd()), Report.pm(r.uaMean(), r.uaStd()), r.runs(), out.resolve("report.md"));
        }
        return 0;
    }

    /** The command its run directories record, which {@code --resume} repeats: {@code cv}. */
    protected String runName() {
        return "cv";
    }

    /** A new command of this kind, for {@code --resume} to parse the stored arguments into. */
    protected CvCommand fresh() {
        return new CvCommand();
    }

    /** Who carries out the (fold, run)s: here {@link CrossValidation#run}, one after another in this JVM. */
    protected CrossValidation.Runs runner() {
        return CrossValidation::run;
    }
}

package dev.ser4j.cli;

import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.core.Variant;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.train.CrossValidation;
import dev.ser4j.train.Experiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./ser4j experiment table1|table2}: every row of one of the paper's tables, cross-validated, as a table.
 * ser4j-spark's {@code spark experiment} is this command with the (fold, run)s carried out as Spark tasks
 * ({@link #runner}).
 */
@Command(name = "experiment", sortOptions = false, description = {"Cross-validate every row of one of the paper's tables and print the table.",
        "table1 is the five models, table2 the ablations of MSCNN-SPU-ATT; each row is a cv run (its report in a folder of --out), and the"
                + " table (method, modality, WA, UA, ± std) is also written as table.md and table.json."})
public class ExperimentCommand extends CrossValidationCommand {
    /** The recipe when --recipe is not given: the paper's tables, the paper's protocol. */
    static final TrainingOptions.Recipe RECIPE = TrainingOptions.Recipe.PAPER;

    @Parameters(index = "0", paramLabel = "table1|table2", description = "The table: table1 (the five models) or table2 (the ablations).")
    String table;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory for one cv run per row, and table.md / table.json.")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the experiment in DIR where it stopped.")
    Path resume;

    @Override
    public Integer call() throws Exception {
        if (resume != null) return RunDir.resume(resume, runName(), this::fresh, c -> c.resuming = true);
        List<Experiment.Row> rows = Experiment.rows(table);
        if (out == null) throw new InputException("--out", "is required (the experiment directory), or --resume DIR");
        Started run = start(out, runName(), RECIPE, trainingData.speakerEmbeddings() ? null
                : "note: without --xvectors, the models are trained without the x-vector and the rows that need one are skipped;"
                + " --xvectors FILE or --xvectors speaker-stats gives the paper's models", p -> p.configFor(Variant.MSCNN_SPU_ATT));
        DataPipeline.Prepared p = run.data();
        List<Experiment.Result> results = run(rows, run, out, runName() + " --resume " + out);
        String title = String.format(Locale.ROOT, "%s: %s cross-validation on %s (%d utterances), %d run(s) per fold%s", table.equals("table1")
                ? "Table 1" : "Table 2", protocol.folds, p.dataset().name(), p.examples().size(), protocol.repeats,
                protocol.maxFolds > 0 ? ", first " + protocol.maxFolds + " folds" : "");
        System.out.print(Experiment.text(title, results));
        Experiment.writeTable(out, title, results);
        System.out.println("reports in " + out);
        return 0;
    }

    /** Cross-validates {@code rows} on the data of {@code run} into {@code dir} with this command's protocol and backend. */
    private List<Experiment.Result> run(List<Experiment.Row> rows, Started run, Path dir, String resumeHint) throws Exception {
        DataPipeline.Prepared p = run.data();
        try (Backend be = backend.open(); Interrupts interrupts = new Interrupts()) {
            return interrupts.run(resumeHint, () -> Experiment.run(rows, p::configFor, p.xvectorDim() > 0, p.examples(), run.settings(), runner(), be,
                    dir, run.info(), ReportFigures.PNG, System.out, interrupts.stop));
        }
    }

    /** The command its directories record, which {@code --resume} repeats: {@code experiment}. */
    protected String runName() {
        return "experiment";
    }

    /** A new command of this kind, for {@code --resume} to parse the stored arguments into. */
    protected ExperimentCommand fresh() {
        return new ExperimentCommand();
    }

    /** Who carries out each row's (fold, run)s: here {@link CrossValidation#run}, one after another in this JVM. */
    protected CrossValidation.Runs runner() {
        return CrossValidation::run;
    }
}

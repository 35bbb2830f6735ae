package dev.ser4j.cli;

import dev.ser4j.audio.WaveAugment;
import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.core.Labels;
import dev.ser4j.core.Variant;
import dev.ser4j.data.Dataset;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.pipeline.ModelInput;
import dev.ser4j.pipeline.SpeakerNorm;
import dev.ser4j.synth.CorpusGenerator;
import dev.ser4j.synth.CorpusSpec;
import dev.ser4j.train.CrossValidation;
import dev.ser4j.train.Experiment;
import dev.ser4j.train.Trainer;
import dev.ser4j.train.TrainingRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./ser4j demo}: the whole pipeline on one machine with nothing to download. Synthesises the default
 * emotional speech corpus (espeak-ng; reused when already there), extracts features, cross-validates the five
 * models of the paper's Table 1 with held-out speakers (leave-one-session-out) and prints the table.
 * To finish in minutes on two cores it runs only the first folds, with fewer epochs, and says so.
 */
@Command(name = "demo", sortOptions = false, description = {"Run the paper's Table 1 on a synthetic corpus, from nothing, in minutes.",
        "Synthesises the default corpus (reused when present), extracts features and cross-validates the Table 1 models on held-out"
                + " speakers, with fewer folds and epochs than the paper's protocol (said in the output); prints the table and where the reports are."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--corpus", defaultValue = "data/synth-default", paramLabel = "DIR",
            description = "Where the synthetic corpus is (made there when missing; default ${DEFAULT-VALUE}).")
    Path corpus;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory for the reports (default: runs/demo-<date-time>).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the demo in DIR where it stopped (after Ctrl-C or a crash).")
    Path resume;

    @Option(names = "--folds", paramLabel = "N", defaultValue = "2", description = "Leave-one-session-out folds to run, of 8 (default ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "6", description = "At most this many epochs per run (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "3", description = "Early-stopping patience (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Training seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    BackendOptions backend;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    boolean resuming;

    @Override
    public Integer call() throws Exception {
        if (resume != null) return RunDir.resume(resume, "demo", DemoCommand::new, c -> {
            c.resuming = true;
            c.out = resume;                                           // the run's folder, also when it was the default one
        });
        long t0 = System.nanoTime();
        if (folds < 1 || folds > 8) throw new InputException("--folds", folds + " is not a number of folds from 1 to 8");
        if (epochs < 1) throw new InputException("--epochs", epochs + " is not a positive number of epochs");
        if (patience < 1) throw new InputException("--patience", patience + " is not a positive number of epochs");
        backend.check();
        Path dir = out != null ? out : Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (!resuming) RunDir.checkNew(dir, "--resume " + dir);
        System.out.println("ser4j demo: MSCNN-SPU-ATT and the other models of the paper's Table 1 on a synthetic emotional speech corpus");
        ensureCorpus();
        DataOptions data = new DataOptions();
        data.data = "synth:" + corpus;
        data.xvectorMissing = "error";
        Dataset ds = data.open(Labels.DEFAULT);
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (out == null) args.addAll(List.of("--out", dir.toString()));
        RunDir.Started started = resuming ? RunDir.resumed(dir) : RunDir.start(dir, "demo", args);
        DataPipeline.Prepared p = started.orAbandon(() -> data.prepare(ds, Labels.DEFAULT, null, DataPipeline.SPEAKER_STATS, 0, null, seed,
                ModelInput.PAPER, SpeakerNorm.NONE, WaveAugment.NONE, System.out));
        System.out.println("speaker embeddings: per-speaker feature statistics (the synthetic corpus has no Kaldi x-vectors)");
        System.out.printf(Locale.ROOT, "demo settings: %d of the 8 leave-one-session-out folds, at most %d epochs (patience %d), 1 run per fold;"
                + " the paper's protocol is ./ser4j experiment table1 --data synth:%s --xvectors speaker-stats --folds session --out DIR%n",
                folds, epochs, patience, corpus);
        Trainer.Config training = Trainer.Config.paper(seed).withEpochs(epochs, patience).withProgress(ConsoleProgress.forTerminal());
        Map<String, String> meta = new LinkedHashMap<>(p.checkpointMetadata());
        meta.put("recipe", TrainingOptions.Recipe.PAPER.id());
        CrossValidation.Settings protocol = new CrossValidation.Settings(new TrainingRun.Recipe(p.configFor(Variant.MSCNN_SPU_ATT), training,
                p.embedding(), false), "session", null, 1, folds, meta);
        Map<String, Object> info = new LinkedHashMap<>(p.info());
        info.putAll(new TrainingOptions().describe(TrainingOptions.Recipe.PAPER));
        List<Experiment.Result> results;
        try (Backend be = backend.open(); Interrupts interrupts = new Interrupts()) {
            results = interrupts.run("demo --resume " + dir, () -> Experiment.run(Experiment.rows("table1"), p::configFor, p.xvectorDim() > 0,
                    p.examples(), protocol, be, dir, info, ReportFigures.PNG, System.out, interrupts.stop));
        }
        String title = String.format(Locale.ROOT, "Table 1 on the synthetic corpus (%d utterances, 16 speakers): sessions held out, %d of 8 folds",
                p.examples().size(), folds);
        System.out.print(Experiment.text(title, results));
        Experiment.writeTable(dir, title, results);
        System.out.println(Experiment.verdict(results));
        System.out.printf(Locale.ROOT, "reports: %s (table.md, and per model report.md, confusion.png, learning-curves.png); %.0f s in all%n",
                dir.toAbsolutePath(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private void ensureCorpus() throws Exception {
        Path manifest = corpus.resolve("manifest.tsv");
        if (Files.isRegularFile(manifest) && Files.readAllLines(manifest).size() == CorpusSpec.DEFAULT_SIZE + 1) {
            System.out.println("corpus: " + corpus + " (already synthesised)");
            return;
        }
        System.out.println("corpus: synthesising " + CorpusSpec.DEFAULT_SIZE + " utterances with espeak-ng into " + corpus + " ...");
        long t0 = System.nanoTime();
        int n = CorpusSpec.DEFAULT_SIZE;
        try (var bar = ConsoleProgress.forTerminal().start("synth", n)) {
            CorpusGenerator.Summary s = CorpusGenerator.generate(corpus, n, CorpusSpec.DEFAULT_SEED, 2, bar::step);
            System.out.printf(Locale.ROOT, "corpus: %d utterances, %.2f h of audio, in %.0f s%n", s.utterances(), s.audioSeconds() / 3600,
                    (System.nanoTime() - t0) / 1e9);
        }
    }
}

package dev.ser4j.cli;

import dev.ser4j.core.InputException;
import dev.ser4j.io.Progress;
import dev.ser4j.synth.CorpusGenerator;
import dev.ser4j.synth.CorpusSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./ser4j synth --out DIR [--size default|tiny|N] [--seed S]}: generates the built-in synthetic emotional
 * speech corpus (docs/corpus.md) with espeak-ng: WAVs, meta.tsv and manifest.tsv under DIR. Deterministic for a
 * seed; the tiny corpus is the first 200 utterances of the default one.
 */
@Command(name = "synth", sortOptions = false,
        description = {"Synthesise the built-in emotional speech corpus with espeak-ng (4 classes, 16 speakers in 8 sessions).",
                "Writes DIR/wav/<speaker>/<id>.wav (16 kHz mono 16-bit), DIR/meta.tsv and, last, DIR/manifest.tsv."})
public final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Corpus directory (created if missing).")
    Path out;

    @Option(names = "--size", defaultValue = "default", paramLabel = "SIZE",
            description = "default (2000 utterances), tiny (200) or a number of utterances (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--seed", defaultValue = "20240", description = "Corpus seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--workers", defaultValue = "2", description = "espeak-ng processes at a time (default: ${DEFAULT-VALUE}).")
    int workers;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int n = parseSize(size);
        long start = System.nanoTime();
        CorpusGenerator.Summary s;
        try (Progress.Task bar = ConsoleProgress.forTerminal().start("synth", n)) {
            s = CorpusGenerator.generate(out, n, seed, workers, bar::step);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getOut().printf(Locale.ROOT,
                "synth: %d utterances, %.2f h of audio (mean %.2f s), in %.1f s wall (%.0f utterances/s, espeak-ng %s) -> %s%n",
                s.utterances(), s.audioSeconds() / 3600, s.audioSeconds() / s.utterances(), wall, s.utterances() / wall,
                s.espeakVersion(), s.manifest());
        return 0;
    }

    /** default, tiny, or a positive count up to {@link CorpusSpec#MAX_SIZE}. */
    static int parseSize(String size) {
        String s = size.strip().toLowerCase(Locale.ROOT);
        if (s.equals("default")) return CorpusSpec.DEFAULT_SIZE;
        if (s.equals("tiny")) return CorpusSpec.TINY_SIZE;
        if (s.matches("[0-9]{1,6}")) {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= CorpusSpec.MAX_SIZE) return n;
        }
        throw new InputException("--size", "'" + size + "' is not default, tiny or a number of utterances from 1 to " + CorpusSpec.MAX_SIZE);
    }
}

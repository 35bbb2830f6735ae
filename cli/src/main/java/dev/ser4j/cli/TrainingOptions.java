package dev.ser4j.cli;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.core.InputException;
import dev.ser4j.io.Progress;
import dev.ser4j.train.Trainer;
import picocli.CommandLine.Option;

/** The paper's training settings, each a flag (model spec, "Training"). */
public final class TrainingOptions {
    @Option(names = "--epochs", defaultValue = "50", description = "At most this many epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", defaultValue = "8", description = "Stop after this many epochs without a better dev UA (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--batch-size", defaultValue = "64", description = "Utterances per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.0005", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm clip, 0 for none (default ${DEFAULT-VALUE}).")
    float clip;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisation, batches and dropout (default ${DEFAULT-VALUE}).")
    long seed;

    Trainer.Config config(Progress progress) {
        if (epochs < 1) throw new InputException("--epochs", epochs + " is not a positive number of epochs");
        if (patience < 1) throw new InputException("--patience", patience + " is not a positive number of epochs");
        if (batchSize < 1) throw new InputException("--batch-size", batchSize + " is not a positive batch size");
        if (!(lr > 0)) throw new InputException("--lr", lr + " is not a positive learning rate");
        AdamHyper p = AdamHyper.paper();
        return new Trainer.Config(epochs, patience, batchSize, new AdamHyper(lr, p.beta1(), p.beta2(), p.eps(), clip), seed, progress);
    }
}

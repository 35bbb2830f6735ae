package dev.ser4j.cli;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.core.InputException;
import dev.ser4j.audio.WaveAugment;
import dev.ser4j.io.Progress;
import dev.ser4j.pipeline.ModelInput;
import dev.ser4j.pipeline.SpeakerNorm;
import dev.ser4j.train.Augmentation;
import dev.ser4j.train.Trainer;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a model is trained: the recipe ({@code paper}, the paper's exact protocol, or {@code robust}, what generalises
 * best to unseen speakers on real speech), each of its ingredients as a flag that overrides the recipe, and the
 * paper's optimiser settings (model spec, "Training").
 */
public final class TrainingOptions {
    /** The recipes: each ingredient's value (speaker norm, balance, SpecAugment, word dropout, modality dropout). */
    enum Recipe {
        PAPER(false, "none", "none", false, "none", 0f, "0,0", false, 50, 8, 0f),
        // Augmented data and masks regularise: training longer, and waiting longer for a better dev UA, pays
        // (RAVDESS, README "Recipes": UA 66.1 with 50/8; 69.3 and 66.8, two seeds, with 80/12).
        // The weights' moving average over epoch ends (factor 0.75, about four epochs) is scored and kept: the dev
        // UA of single epochs swings by ten points on RAVDESS's two dev actors (README "Recipes": UA 69.7 and 69.3,
        // two seeds, against 69.3 and 66.8 without). Six speeds and two noisy copies instead of two and one (71.4 and
        // 74.3 against 69.7 and 69.3): each epoch draws each utterance or one of its eight copies, so an epoch costs
        // the same; the copies are made once and cached.
        // A bimodal model also trains each batch without its transcripts (README "Recipes": on unseen voices without
        // text 74.5, 75.0 and 74.0 for seeds 1-3, the audio-only model 74.5, 73.4 and 66.7; without the pass 65.6 and 67.7).
        ROBUST(true, "speaker", "speed=0.85:0.9:0.95:1.05:1.1:1.15,noise=2:10:30", true, "2x20,2x4", 0.1f, "0.3,0.1", true, 80, 12, 0.75f);

        final String speakerNorm, waveAugment, specAugment, modalityDropout;
        final boolean trimSilence, balance, audioOnlyPass;
        final float wordDropout, average;
        final int epochs, patience;

        Recipe(boolean trimSilence, String speakerNorm, String waveAugment, boolean balance, String specAugment, float wordDropout,
               String modalityDropout, boolean audioOnlyPass, int epochs, int patience, float average) {
            this.audioOnlyPass = audioOnlyPass;
            this.average = average;
            this.epochs = epochs;
            this.patience = patience;
            this.trimSilence = trimSilence;
            this.speakerNorm = speakerNorm;
            this.waveAugment = waveAugment;
            this.balance = balance;
            this.specAugment = specAugment;
            this.wordDropout = wordDropout;
            this.modalityDropout = modalityDropout;
        }

        String id() { return name().toLowerCase(Locale.ROOT); }
    }

    @Option(names = "--recipe", paramLabel = "paper|robust",
            description = "paper: the paper's protocol exactly; robust: silence trimmed, speaker normalisation, six speed and two noise copies, class"
                    + " balance, SpecAugment, word and modality dropout, an audio-only pass for bimodal models, 80 epochs with patience 12, the weights' moving average kept,"
                    + " which measures better on unseen"
                    + " speakers (README, \"Recipes\")."
                    + " Default: robust for train and cv, paper for experiment (the paper's tables).")
    String recipe;

    @Option(names = "--trim-silence", arity = "1", paramLabel = "true|false",
            description = "Override the recipe: cut leading and trailing silence (frames 40 dB below the loudest) before the model.")
    Boolean trimSilence;

    @Option(names = "--speaker-norm", paramLabel = "none|speaker|utterance",
            description = "Override the recipe: z-normalise features by the speaker's statistics, the utterance's own, or not.")
    String speakerNorm;

    @Option(names = "--wave-augment", paramLabel = "none|speed=S:S,noise=N:MIN:MAX",
            description = "Override the recipe: augmented training copies, e.g. speed=0.9:1.1,noise=1:10:30 (speeds; noisy copies, SNR range in dB).")
    String waveAugment;

    @Option(names = "--balance", arity = "1", paramLabel = "true|false", description = "Override the recipe: repeat the smaller classes' utterances each epoch.")
    Boolean balance;

    @Option(names = "--spec-augment", paramLabel = "TxW,FxW|none",
            description = "Override the recipe: T time masks of up to W frames and F feature masks of up to W coefficients, e.g. 2x20,2x4.")
    String specAugment;

    @Option(names = "--word-dropout", paramLabel = "P", description = "Override the recipe: each training token becomes UNK with probability P.")
    Float wordDropout;

    @Option(names = "--modality-dropout", paramLabel = "TEXT,AUDIO",
            description = "Override the recipe: drop a training utterance's whole transcript, or else its whole audio, with these probabilities.")
    String modalityDropout;

    @Option(names = "--audio-only-pass", arity = "1", paramLabel = "true|false",
            description = "Override the recipe: a bimodal model also trains each batch with every transcript removed (a step costs about twice as"
                    + " much), so that it keeps an audio-only model's accuracy when there is no transcript.")
    Boolean audioOnlyPass;

    @Option(names = "--epochs", paramLabel = "N", description = "At most this many epochs (default: the recipe's, 50 for paper, 80 for robust).")
    Integer epochs;

    @Option(names = "--patience", paramLabel = "N",
            description = "Stop after this many epochs without a better dev UA (default: the recipe's, 8 for paper, 12 for robust).")
    Integer patience;

    @Option(names = "--average", paramLabel = "A",
            description = "Keep, and choose the epoch by, the weights' moving average over epoch ends with factor A; 0 keeps the weights"
                    + " themselves (default: the recipe's, 0 for paper, 0.75 for robust).")
    Float average;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Utterances per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.0005", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--clip", paramLabel = "NORM", defaultValue = "1.0", description = "Global gradient-norm clip, 0 for none (default ${DEFAULT-VALUE}).")
    float clip;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of initialisation, batches and dropout (default ${DEFAULT-VALUE}).")
    long seed;

    /** The recipe of {@code --recipe}, else {@code dflt} (the command's default). */
    Recipe recipe(Recipe dflt) {
        if (recipe == null) return dflt;
        for (Recipe r : Recipe.values()) if (r.id().equals(recipe)) return r;
        throw new InputException("--recipe", "'" + recipe + "' is not a recipe; expected paper or robust");
    }

    SpeakerNorm speakerNorm(Recipe dflt) {
        return SpeakerNorm.parse("--speaker-norm", speakerNorm != null ? speakerNorm : recipe(dflt).speakerNorm);
    }

    ModelInput input(Recipe dflt) {
        return new ModelInput(trimSilence != null ? trimSilence : recipe(dflt).trimSilence);
    }

    WaveAugment waveAugment(Recipe dflt) {
        return WaveAugment.parse("--wave-augment", waveAugment != null ? waveAugment : recipe(dflt).waveAugment, seed);
    }

    Augmentation augmentation(Recipe dflt) {
        Recipe r = recipe(dflt);
        String spec = specAugment != null ? specAugment : r.specAugment, mod = modalityDropout != null ? modalityDropout : r.modalityDropout;
        int[] masks = {0, 0, 0, 0};
        if (!spec.equals("none")) {
            String[] parts = spec.split(",");
            if (parts.length != 2) throw new InputException("--spec-augment", "'" + spec + "' is not TxW,FxW (e.g. 2x20,2x4) or none");
            for (int i = 0; i < 2; i++) {
                String[] tw = parts[i].strip().split("x");
                try {
                    masks[2 * i] = Integer.parseInt(tw[0]);
                    masks[2 * i + 1] = Integer.parseInt(tw[1]);
                } catch (RuntimeException e) {
                    throw new InputException("--spec-augment", "'" + spec + "' is not TxW,FxW (e.g. 2x20,2x4) or none");
                }
            }
        }
        String[] p = mod.split(",");
        if (p.length != 2) throw new InputException("--modality-dropout", "'" + mod + "' is not TEXT,AUDIO (two probabilities)");
        try {
            return new Augmentation(balance != null ? balance : r.balance, masks[0], masks[1], masks[2], masks[3],
                    wordDropout != null ? wordDropout : r.wordDropout, Float.parseFloat(p[0].strip()), Float.parseFloat(p[1].strip()),
                    audioOnlyPass != null ? audioOnlyPass : r.audioOnlyPass);
        } catch (NumberFormatException e) {
            throw new InputException("--modality-dropout", "'" + mod + "' is not TEXT,AUDIO (two probabilities)");
        }
    }

    /** The recipe and its ingredients as a report's context records them. */
    Map<String, Object> describe(Recipe dflt) {
        Map<String, Object> m = new LinkedHashMap<>();
        Augmentation a = augmentation(dflt);
        m.put("recipe", recipe(dflt).id());
        m.put("trim_silence", input(dflt).trimSilence());
        m.put("speaker_norm", speakerNorm(dflt).id());
        m.put("wave_augment", waveAugment != null ? waveAugment : recipe(dflt).waveAugment);
        m.put("balance", a.balance());
        m.put("spec_augment", a.timeMasks() + "x" + a.maxTime() + "," + a.featureMasks() + "x" + a.maxFeatures());
        m.put("word_dropout", a.wordDropout());
        m.put("modality_dropout", a.textDropout() + "," + a.audioDropout());
        m.put("audio_only_pass", a.audioOnlyPass());
        m.put("average", average(dflt));
        return m;
    }

    /** Checks every training flag (with {@code dflt} the command's recipe) before any work is done. */
    void check(Recipe dflt) {
        config(Progress.NONE, dflt);
        speakerNorm(dflt);
        waveAugment(dflt);
        input(dflt);
    }

    Trainer.Config config(Progress progress, Recipe dflt) {
        Recipe r = recipe(dflt);
        int epochs = this.epochs != null ? this.epochs : r.epochs, patience = this.patience != null ? this.patience : r.patience;
        if (epochs < 1) throw new InputException("--epochs", epochs + " is not a positive number of epochs");
        if (patience < 1) throw new InputException("--patience", patience + " is not a positive number of epochs");
        if (batchSize < 1) throw new InputException("--batch-size", batchSize + " is not a positive batch size");
        if (!(lr > 0)) throw new InputException("--lr", lr + " is not a positive learning rate");
        AdamHyper p = AdamHyper.paper();
        return new Trainer.Config(epochs, patience, batchSize, new AdamHyper(lr, p.beta1(), p.beta2(), p.eps(), clip), seed, progress,
                augmentation(dflt), average(dflt));
    }

    /** The weights' averaging factor: {@code --average}, else the recipe's. */
    float average(Recipe dflt) {
        float a = average != null ? average : recipe(dflt).average;
        if (!(a >= 0 && a < 1)) throw new InputException("--average", a + " is not an averaging factor in [0, 1)");
        return a;
    }
}

package dev.ser4j.pipeline;

import dev.ser4j.audio.Mfcc;
import dev.ser4j.model.Example;
import dev.ser4j.text.Tokenizer;
import dev.ser4j.text.Vocabulary;

import java.util.Arrays;
import java.util.List;

/**
 * An utterance as the model's input: the one function data preparation and the API's {@code EmotionRecognizer} share,
 * so training and serving cannot drift apart. Of the MFCC features the model sees the speech (with
 * {@code trimSilence}, the frames from the first to the last within {@link #TRIM_DB} dB of the loudest, with
 * {@link #TRIM_MARGIN} frames of margin: leading and trailing silence, half of a RAVDESS file, would otherwise dilute
 * the mean and standard deviation the model pools), at most its first 750 frames; the transcript is tokenised (NLTK
 * Treebank rules) and mapped to vocabulary ids (truncated to 128 tokens).
 *
 * @param trimSilence whether leading and trailing silence is cut ({@code --trim-silence}; recorded in the checkpoint)
 */
public record ModelInput(boolean trimSilence) {
    /** Frames quieter than the loudest by more than this, in dB of mean log-mel energy, are silence at the edges. */
    public static final double TRIM_DB = 40;
    /** Frames kept on each side of the speech. */
    public static final int TRIM_MARGIN = 5;
    /** The paper's input: every frame, no trimming. */
    public static final ModelInput PAPER = new ModelInput(false);

    /** The words of a transcript; null or blank gives none. */
    public static List<String> words(String transcript) {
        return Tokenizer.tokenize(transcript == null ? "" : transcript);
    }

    /** The features the model sees of an utterance's features {@code [frames, 96]}: trimmed (if so), then the first 750 frames. */
    public float[] audio(float[] features) {
        return Mfcc.truncate(trimSilence ? trim(features) : features, Mfcc.FEATURES, Example.MAX_FRAMES);
    }

    /** Whether {@link #audio} leaves out speech of these features: more than 750 frames of it. */
    public boolean truncates(float[] features) {
        return (trimSilence ? trim(features) : features).length > Example.MAX_FRAMES * Mfcc.FEATURES;
    }

    /**
     * The frames of speech. The MFCC's c0 is the mean log-mel energy in dB times sqrt(128) (orthonormal DCT), so
     * the threshold is {@code max c0 - TRIM_DB * sqrt(128)}; internal pauses are kept.
     */
    static float[] trim(float[] features) {
        int D = Mfcc.FEATURES, n = features.length / D;
        float max = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < n; t++) max = Math.max(max, features[t * D]);
        double threshold = max - TRIM_DB * Math.sqrt(Mfcc.N_MELS);
        int first = 0, last = n - 1;
        while (first < n && features[first * D] < threshold) first++;
        while (last > first && features[last * D] < threshold) last--;
        first = Math.max(0, first - TRIM_MARGIN);
        last = Math.min(n - 1, last + TRIM_MARGIN);
        return first == 0 && last == n - 1 ? features : Arrays.copyOfRange(features, first * D, (last + 1) * D);
    }

    /**
     * The example of one utterance.
     *
     * @param audio      the features the model sees ({@link #audio}), speaker-normalised when the model is
     * @param words      its words ({@link #words}); ignored when {@code vocabulary} is null (a model without text)
     * @param xvector    its speaker embedding, or null
     * @param label      the class index, or -1 when unknown
     */
    public static Example example(String id, String speaker, String session, float[] audio, List<String> words,
                                  Vocabulary vocabulary, float[] xvector, int label) {
        int[] tokens = vocabulary == null ? new int[0] : vocabulary.encode(words, Example.MAX_TOKENS);
        return new Example(id, speaker, session, audio, audio.length / Mfcc.FEATURES, tokens, xvector, label);
    }
}

package dev.ser4j.pipeline;

import dev.ser4j.audio.Mfcc;
import dev.ser4j.model.Example;
import dev.ser4j.text.Tokenizer;
import dev.ser4j.text.Vocabulary;

import java.util.List;

/**
 * An utterance as the model's input: the one function data preparation and the API's {@code EmotionRecognizer} share,
 * so training and serving cannot drift apart. The MFCC features are truncated to the model's 750 frames, the
 * transcript is tokenised (NLTK Treebank rules) and mapped to vocabulary ids (truncated to 128 tokens).
 */
public final class ModelInput {
    private ModelInput() {}

    /** The words of a transcript; null or blank gives none. */
    public static List<String> words(String transcript) {
        return Tokenizer.tokenize(transcript == null ? "" : transcript);
    }

    /** The features the model sees of an utterance: its first 750 frames. */
    public static float[] audio(float[] features) {
        return Mfcc.truncate(features, Mfcc.FEATURES, Example.MAX_FRAMES);
    }

    /**
     * The example of one utterance.
     *
     * @param features   MFCC features {@code [frames, 96]} of the whole utterance
     * @param words      its words ({@link #words}); ignored when {@code vocabulary} is null (a model without text)
     * @param xvector    its speaker embedding, or null
     * @param label      the class index, or -1 when unknown
     */
    public static Example example(String id, String speaker, String session, float[] features, List<String> words,
                                  Vocabulary vocabulary, float[] xvector, int label) {
        float[] audio = audio(features);
        int[] tokens = vocabulary == null ? new int[0] : vocabulary.encode(words, Example.MAX_TOKENS);
        return new Example(id, speaker, session, audio, audio.length / Mfcc.FEATURES, tokens, xvector, label);
    }
}

package dev.ser4j.model;

/**
 * One utterance ready for the model: raw features {@code audio [frames, dim]} (already truncated to the model's
 * 750 frames, not yet normalised), token ids (truncated to 128), an optional speaker embedding, and the label
 * (an {@link dev.ser4j.core.Emotion} ordinal, or -1 when unknown). Speaker and session drive the cross-validation folds.
 */
public record Example(String id, String speaker, String session, float[] audio, int frames, int[] tokens,
                      float[] xvector, int label) {
    /** Utterances longer than this many frames are truncated at the end (model spec). */
    public static final int MAX_FRAMES = 750;
    /** Transcripts longer than this many tokens are truncated (model spec). */
    public static final int MAX_TOKENS = 128;

    public Example {
        if (frames < 1 || frames > MAX_FRAMES) throw new IllegalArgumentException(id + ": " + frames + " frames");
        if (tokens.length > MAX_TOKENS) throw new IllegalArgumentException(id + ": " + tokens.length + " tokens");
    }

    /** Features per frame. */
    public int dim() {
        return audio.length / frames;
    }
}

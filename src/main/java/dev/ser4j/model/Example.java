package dev.ser4j.model;

import java.util.List;

/**
 * One utterance ready for the model: features {@code audio [frames, dim]} (already truncated to the model's 750
 * frames and speaker-normalised as the pipeline was asked, not yet normalised by the model's own statistics), token
 * ids (truncated to 128), an optional speaker embedding, the label (the class index, or -1 when unknown), and the
 * features of its augmented copies (speed-perturbed, noisy: training may use one instead). Speaker and session drive
 * the cross-validation folds.
 */
public record Example(String id, String speaker, String session, float[] audio, int frames, int[] tokens,
                      float[] xvector, int label, List<float[]> copies) {
    /** Utterances longer than this many frames are truncated at the end (model spec). */
    public static final int MAX_FRAMES = 750;
    /** Transcripts longer than this many tokens are truncated (model spec). */
    public static final int MAX_TOKENS = 128;

    public Example {
        if (frames < 1 || frames > MAX_FRAMES) throw new IllegalArgumentException(id + ": " + frames + " frames");
        if (tokens.length > MAX_TOKENS) throw new IllegalArgumentException(id + ": " + tokens.length + " tokens");
        copies = List.copyOf(copies);
    }

    /** An example without augmented copies. */
    public Example(String id, String speaker, String session, float[] audio, int frames, int[] tokens, float[] xvector, int label) {
        this(id, speaker, session, audio, frames, tokens, xvector, label, List.of());
    }

    /** The same utterance with these augmented copies' features. */
    public Example withCopies(List<float[]> c) {
        return new Example(id, speaker, session, audio, frames, tokens, xvector, label, c);
    }

    /** The same utterance with the audio of copy {@code k} (0: its own), and no copies. */
    public Example copy(int k) {
        float[] a = k == 0 ? audio : copies.get(k - 1);
        return new Example(id, speaker, session, a, a.length / dim(), tokens, xvector, label);
    }

    /** The same utterance with an empty transcript. */
    public Example withoutText() {
        return new Example(id, speaker, session, audio, frames, new int[0], xvector, label, copies);
    }

    /** Features per frame. */
    public int dim() {
        return audio.length / frames;
    }
}

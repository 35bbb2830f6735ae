package dev.ser4j.model;

import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;

/**
 * A padded batch on the host, in the layout of the model spec's inputs (and of {@code ./ser4j grad}'s batch file):
 * audio [B, T, audioDim] (frames past audioLen zero), tokens [B, M] (PAD past textLen), labels [B] or null,
 * xvector [B, xvectorDim] or null. Branches a variant does not have may be null (T or M then 0).
 */
public record Batch(int size, int frames, int maxTokens, float[] audio, int[] audioLen, int[] tokens, int[] textLen,
                    int[] labels, float[] xvector) {

    /** The same batch without labels (for inference). */
    public Batch withoutLabels() {
        return new Batch(size, frames, maxTokens, audio, audioLen, tokens, textLen, null, xvector);
    }

    /**
     * The same batch with every transcript removed (all tokens PAD, every text length 0), the same audio, x-vectors
     * and labels: the input of training's audio-only pass.
     */
    public Batch withoutText() {
        return new Batch(size, frames, maxTokens, audio, audioLen, tokens == null ? null : new int[tokens.length],
                textLen == null ? null : new int[size], labels, xvector);
    }

    /** Checks every length, id and label against the configuration; {@code source} names the input for errors. */
    public void validate(ModelConfig c, String source) {
        if (size <= 0) throw new InputException(source, "has an empty batch");
        if (c.variant().audio) {
            need(audio != null && audioLen != null, source, "has no audio, which " + c.variant().id + " needs");
            need(audio.length == (long) size * frames * c.audioDim(), source, "has audio of " + audio.length
                    + " values, expected [" + size + ", " + frames + ", " + c.audioDim() + "]");
            need(audioLen.length == size, source, "has " + audioLen.length + " audio lengths for " + size + " utterances");
            for (int b = 0; b < size; b++)
                need(audioLen[b] >= 1 && audioLen[b] <= frames, source, "utterance " + b + " has audio length " + audioLen[b]
                        + ", outside 1.." + frames);
            for (float v : audio) need(Float.isFinite(v), source, "has a non-finite audio feature");
        }
        if (c.variant().text) {
            need(tokens != null && textLen != null, source, "has no tokens, which " + c.variant().id + " needs");
            need(tokens.length == (long) size * maxTokens, source, "has " + tokens.length + " tokens, expected [" + size + ", " + maxTokens + "]");
            need(textLen.length == size, source, "has " + textLen.length + " text lengths for " + size + " utterances");
            for (int b = 0; b < size; b++) {
                need(textLen[b] >= 0 && textLen[b] <= maxTokens, source, "utterance " + b + " has text length " + textLen[b]
                        + ", outside 0.." + maxTokens);
                for (int t = 0; t < textLen[b]; t++) {
                    int id = tokens[b * maxTokens + t];
                    need(id >= 0 && id < c.vocab(), source, "utterance " + b + " has token id " + id + ", outside the vocabulary 0.." + (c.vocab() - 1));
                }
            }
        }
        if (c.xvector()) {
            need(xvector != null, source, "has no x-vectors, which this model (" + c.variant().id + " with x-vector) needs");
            need(xvector.length == (long) size * c.xvectorDim(), source, "has x-vectors of " + xvector.length + " values, expected ["
                    + size + ", " + c.xvectorDim() + "]");
            for (float v : xvector) need(Float.isFinite(v), source, "has a non-finite x-vector value");
        }
        if (labels != null) {
            need(labels.length == size, source, "has " + labels.length + " labels for " + size + " utterances");
            for (int l : labels) need(l >= 0 && l < c.classes(), source, "has label " + l + ", outside 0.." + (c.classes() - 1));
        }
    }

    private static void need(boolean ok, String source, String problem) {
        if (!ok) throw new InputException(source, problem);
    }
}

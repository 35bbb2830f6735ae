package dev.ser4j;

import dev.ser4j.audio.Audio16k;
import dev.ser4j.audio.Wav;
import dev.ser4j.core.InputException;

import java.nio.file.Path;

/**
 * A piece of speech to recognise: mono samples at their sample rate, and what else is known about it: the transcript,
 * the speaker (a name enrolled with {@link EmotionRecognizer#enroll}, for models trained with speaker normalisation)
 * and the speaker's x-vector (for models trained with x-vectors from a file).
 *
 * <pre>{@code
 * Speech s = Speech.of(samples, 44_100).withTranscript("I can't believe you did that.").withSpeaker("caller-17");
 * }</pre>
 *
 * @param samples    mono samples in [-1, 1]
 * @param sampleRate their rate in Hz (resampled to 16 kHz when it is another)
 * @param transcript what was said, as plain text; empty when unknown
 * @param speaker    who said it, or null
 * @param xvector    the speaker's x-vector, or null
 * @param source     what the samples came from, for messages (a file name)
 */
public record Speech(float[] samples, int sampleRate, String transcript, String speaker, float[] xvector, String source) {
    /**
     * Checks the rate and fills in an empty transcript and a source.
     *
     * @throws InputException if the sample rate is not positive
     */
    public Speech {
        if (samples == null) throw new InputException(source == null ? "audio" : source, "has no samples");
        if (sampleRate <= 0 || sampleRate > Wav.MAX_SAMPLE_RATE)
            throw new InputException(source == null ? "audio" : source, "has the sample rate " + sampleRate + " Hz; expected 1 to " + Wav.MAX_SAMPLE_RATE);
        if (transcript == null) transcript = "";
        if (source == null) source = "audio";
    }

    /**
     * Speech from samples.
     *
     * @param samples    mono samples in [-1, 1]
     * @param sampleRate their rate in Hz
     * @return speech without transcript, speaker or x-vector
     */
    public static Speech of(float[] samples, int sampleRate) {
        return new Speech(samples, sampleRate, "", null, null, null);
    }

    /**
     * Speech from a WAV file (PCM 8/16/24/32-bit or float, any rate; several channels are averaged).
     *
     * @param wav the file
     * @return its speech, the file named as its source
     * @throws InputException if the file is missing or not a readable WAV
     */
    public static Speech read(Path wav) {
        Wav w = Wav.read(wav);
        return new Speech(w.samples(), w.sampleRate(), "", null, null, wav.toString());
    }

    /**
     * Speech from a WAV file's bytes held in memory (a blob column, an upload), read as {@link #read} reads a file.
     *
     * @param wav    the whole file's bytes
     * @param source names the recording in messages (its file name, an id)
     * @return its speech, with {@code source} as its source
     * @throws InputException if the bytes are not a readable WAV
     */
    public static Speech parse(byte[] wav, String source) {
        Wav w = Wav.parse(wav, source);
        return new Speech(w.samples(), w.sampleRate(), "", null, null, source);
    }

    /**
     * This speech with its transcript.
     *
     * @param text the transcript (null: none)
     * @return a new speech
     */
    public Speech withTranscript(String text) {
        return new Speech(samples, sampleRate, text, speaker, xvector, source);
    }

    /**
     * This speech with its speaker.
     *
     * @param name the speaker's name, as enrolled
     * @return a new speech
     */
    public Speech withSpeaker(String name) {
        return new Speech(samples, sampleRate, transcript, name, xvector, source);
    }

    /**
     * This speech with the speaker's x-vector.
     *
     * @param embedding the x-vector
     * @return a new speech
     */
    public Speech withXvector(float[] embedding) {
        return new Speech(samples, sampleRate, transcript, speaker, embedding, source);
    }

    /** The samples at 16 kHz, the model's rate. */
    float[] samples16k() {
        return Audio16k.toModelRate(samples, sampleRate);
    }
}

package dev.ser4j.pipeline;

import dev.ser4j.core.InputException;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Speaker normalisation of the features, before the model's own feature normalisation: each utterance's features
 * z-normalised by the mean and standard deviation of its speaker's frames ({@code speaker}; the statistics use no
 * label, so a held-out speaker's own utterances supply them), by its own frames ({@code utterance}: no other
 * utterance of the speaker needed), or left as they are ({@code none}, the paper's). An utterance whose speaker is
 * not known ({@code unknown}, a manifest without a speaker column) is normalised by its own frames.
 */
public enum SpeakerNorm {
    NONE, SPEAKER, UTTERANCE;

    /** The speaker name of utterances whose speaker is not known. */
    public static final String UNKNOWN_SPEAKER = "unknown";

    /** The name in checkpoints and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code none}, {@code speaker} or {@code utterance}. */
    public static SpeakerNorm parse(String source, String id) {
        for (SpeakerNorm n : values()) if (n.id().equals(id)) return n;
        throw new InputException(source, "'" + id + "' is not a speaker normalisation; expected none, speaker or utterance");
    }

    /** Normalises the features of the utterances of one data set. */
    public interface Normalizer {
        /** The features of a recording of {@code speaker} (an utterance or an augmented copy), normalised. */
        float[] apply(String speaker, float[] features);
    }

    /**
     * The normaliser of a data set: for {@link #SPEAKER}, the statistics of each known speaker over the utterances
     * given ({@code features[i]} is spoken by {@code speakers[i]}).
     */
    public Normalizer fit(List<String> speakers, List<float[]> features) {
        if (this == NONE) return (speaker, f) -> f;
        Map<String, SpeakerStats> stats = new HashMap<>();
        if (this == SPEAKER)
            for (int i = 0; i < features.size(); i++)
                if (!speakers.get(i).equals(UNKNOWN_SPEAKER)) stats.computeIfAbsent(speakers.get(i), k -> new SpeakerStats()).add(features.get(i));
        return (speaker, f) -> stats.getOrDefault(speaker, SpeakerStats.of(f)).normalize(f);
    }
}

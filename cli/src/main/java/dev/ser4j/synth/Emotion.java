package dev.ser4j.synth;

import dev.ser4j.core.InputException;

import java.util.Locale;

/** The synthetic corpus's four emotions (docs/corpus.md); their {@link #id()}s are the manifest's labels. */
public enum Emotion {
    /** Anger. */
    ANGRY,
    /** Happiness (IEMOCAP's happy and excited). */
    HAPPY,
    /** Sadness. */
    SAD,
    /** Neutral speech. */
    NEUTRAL;

    /**
     * The class's name in files, reports and on the command line.
     *
     * @return {@code angry}, {@code happy}, {@code sad} or {@code neutral}
     */
    public String id() { return name().toLowerCase(Locale.ROOT); }

    /**
     * Parses a class name.
     *
     * @param source the input the name comes from, for the error message (a file and line, a flag)
     * @param label  {@code angry}, {@code happy}, {@code sad} or {@code neutral}, in any case
     * @return the class
     * @throws InputException if {@code label} names no class
     */
    public static Emotion parse(String source, String label) {
        for (Emotion e : values()) if (e.id().equalsIgnoreCase(label.strip())) return e;
        throw new InputException(source, "'" + label + "' is not an emotion; expected angry, happy, sad or neutral");
    }
}

package dev.ser4j.core;

import java.util.Locale;

/** The four classes, in the model's output order (model spec, "Head"). */
public enum Emotion {
    ANGRY, HAPPY, SAD, NEUTRAL;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    /** Parses {@code angry|happy|sad|neutral} (any case). */
    public static Emotion parse(String source, String label) {
        for (Emotion e : values()) if (e.id().equalsIgnoreCase(label.strip())) return e;
        throw new InputException(source, "'" + label + "' is not an emotion; expected angry, happy, sad or neutral");
    }
}

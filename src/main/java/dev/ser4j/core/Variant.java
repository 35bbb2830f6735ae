package dev.ser4j.core;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The models of the paper's Table 1 (model spec, "Variants"). */
public enum Variant {
    AUDIO_CNN("audio-cnn", "Audio-CNN", true, false, false),
    AUDIO_CNN_XVECTOR("audio-cnn-xvector", "Audio-CNN-xvector", true, false, false),
    TEXT_CNN("text-cnn", "Text-CNN", false, true, false),
    MSCNN_SPU("mscnn-spu", "MSCNN-SPU", true, true, false),
    MSCNN_SPU_ATT("mscnn-spu-att", "MSCNN-SPU-ATT", true, true, true);

    /** The name used on the command line and in checkpoints. */
    public final String id;
    /** The name in the paper's tables. */
    public final String paperName;
    public final boolean audio;
    public final boolean text;
    public final boolean attention;

    Variant(String id, String paperName, boolean audio, boolean text, boolean attention) {
        this.id = id;
        this.paperName = paperName;
        this.audio = audio;
        this.text = text;
        this.attention = attention;
    }

    /** The modality column of the paper's tables. */
    public String modality() {
        return audio && text ? "A+T" : audio ? "A" : "T";
    }

    /** Parses a command-line name such as {@code mscnn-spu-att}. */
    public static Variant parse(String id) {
        for (Variant v : values()) if (v.id.equals(id)) return v;
        throw new InputException("--variant", "'" + id + "' is not a variant; expected one of "
                + Arrays.stream(values()).map(v -> v.id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() { return id; }
}

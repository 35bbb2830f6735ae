package dev.ser4j.core;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The models of the paper's Table 1 (model spec, "Variants"). */
public enum Variant {
    /** The audio branch alone: multi-scale CNN over MFCC frames, SPU. */
    AUDIO_CNN("audio-cnn", "Audio-CNN", true, false, false),
    /** The audio branch with the speaker's x-vector in the head. */
    AUDIO_CNN_XVECTOR("audio-cnn-xvector", "Audio-CNN-xvector", true, false, false),
    /** The text branch alone: multi-scale CNN over word embeddings, SPU and SWEM. */
    TEXT_CNN("text-cnn", "Text-CNN", false, true, false),
    /** Both branches, concatenated (with an x-vector when one is given). */
    MSCNN_SPU("mscnn-spu", "MSCNN-SPU", true, true, false),
    /** Both branches and the bimodal attention: the paper's model. */
    MSCNN_SPU_ATT("mscnn-spu-att", "MSCNN-SPU-ATT", true, true, true);

    /** The name used on the command line and in checkpoints. */
    public final String id;
    /** The name in the paper's tables. */
    public final String paperName;
    /** Whether the model has the audio branch. */
    public final boolean audio;
    /** Whether the model has the text branch. */
    public final boolean text;
    /** Whether the model has the bimodal attention. */
    public final boolean attention;

    Variant(String id, String paperName, boolean audio, boolean text, boolean attention) {
        this.id = id;
        this.paperName = paperName;
        this.audio = audio;
        this.text = text;
        this.attention = attention;
    }

    /**
     * The modality column of the paper's tables.
     *
     * @return {@code A}, {@code T} or {@code A+T}
     */
    public String modality() {
        return audio && text ? "A+T" : audio ? "A" : "T";
    }

    /**
     * Parses a variant's name.
     *
     * @param id a name such as {@code mscnn-spu-att}
     * @return the variant
     * @throws InputException if {@code id} names no variant
     */
    public static Variant parse(String id) {
        for (Variant v : values()) if (v.id.equals(id)) return v;
        throw new InputException("--variant", "'" + id + "' is not a variant; expected one of "
                + Arrays.stream(values()).map(v -> v.id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() { return id; }
}

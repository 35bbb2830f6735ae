package dev.ser4j.core;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The complete configuration of an MSCNN-SPU-ATT model: the variant, every ablation switch and every size
 * (model spec). It is stored in a checkpoint's {@code __metadata__}, because two configurations can share
 * tensor shapes.
 *
 * @param variant      the Table 1 model
 * @param xvector      whether an x-vector is part of the head's input
 * @param audioPooling SPU, or max only ({@code --audio-pooling max})
 * @param textPooling  SPU, or max only ({@code --text-pooling max})
 * @param swem         whether SWEM of the word embeddings is part of the head's input
 * @param vocab        vocabulary size V, including PAD (0) and UNK (1)
 * @param audioDim     features per frame (96 = 32 MFCC + deltas + delta-deltas)
 * @param embedDim     word-embedding width (300 for GloVe)
 * @param xvectorDim   x-vector width (512)
 * @param filters      filters per kernel size (128)
 * @param audioKernels audio kernel sizes (5, 7, 9, 11)
 * @param textKernels  text kernel sizes (2, 3, 4, 5)
 * @param hidden       width of the head's hidden layer (256)
 * @param labels       the output classes, in order (the paper's four: {@link Labels#DEFAULT})
 * @param dropout      dropout probability in training (0.3)
 */
public record ModelConfig(Variant variant, boolean xvector, Pooling audioPooling, Pooling textPooling, boolean swem,
                          int vocab, int audioDim, int embedDim, int xvectorDim, int filters,
                          int[] audioKernels, int[] textKernels, int hidden, Labels labels, float dropout) {

    /** The paper's audio kernel sizes. */
    public static final int[] AUDIO_KERNELS = {5, 7, 9, 11};
    /** The paper's text kernel sizes. */
    public static final int[] TEXT_KERNELS = {2, 3, 4, 5};
    /** The largest width, filter count or kernel size accepted: far above the paper's, far below overflow. */
    public static final int MAX_SIZE = 1 << 16;
    /** The most kernel sizes per branch. */
    public static final int MAX_KERNELS = 16;
    /** The most trainable parameters: they live in one Java array ({@link #parameterCount()}). */
    public static final long MAX_PARAMETERS = Integer.MAX_VALUE - 8;

    /**
     * Checks every size and switch.
     *
     * @throws InputException naming the first value that is out of range or contradicts the variant
     */
    public ModelConfig {
        audioKernels = audioKernels.clone();
        textKernels = textKernels.clone();
        // Bounded first, so that no size computed from them below or in the layout overflows an int.
        size("audio_dim", audioDim);
        size("embed_dim", embedDim);
        size("xvector_dim", xvectorDim);
        size("filters", filters);
        size("hidden", hidden);
        java.util.Objects.requireNonNull(labels, "labels");
        if (audioPooling == Pooling.SWEM || textPooling == Pooling.SWEM)
            throw new InputException("pooling", "a convolution branch pools with spu or max; swem pools word embeddings only");
        kernels("audio_kernels", audioKernels);
        kernels("text_kernels", textKernels);
        if (variant == Variant.AUDIO_CNN_XVECTOR && !xvector)
            throw new InputException("--no-xvector", "audio-cnn-xvector is defined by its x-vector; use audio-cnn for the audio model without one");
        if (!variant.audio && xvector)
            throw new InputException("--variant", variant.id + " has no audio branch, so it takes no x-vector");
        if (variant == Variant.AUDIO_CNN && xvector)
            throw new InputException("--variant", "audio-cnn takes no x-vector; use audio-cnn-xvector");
        if (!variant.text) swem = false;
        if (variant.text && vocab < 2) throw new InputException("--vocab", vocab + " words; the vocabulary holds at least PAD and UNK");
        if (variant.attention && filters * audioKernels.length != filters * textKernels.length)
            throw new InputException("--variant", "attention needs as many audio as text kernel sizes");
        if (!(dropout >= 0 && dropout < 1)) throw new InputException("--dropout", dropout + " is not in [0, 1)");
    }

    private static void size(String key, int v) {
        if (v < 1 || v > MAX_SIZE) throw new InputException(key, v + " is not in 1.." + MAX_SIZE);
    }

    private static void kernels(String key, int[] ks) {
        if (ks.length < 1 || ks.length > MAX_KERNELS) throw new InputException(key, ks.length + " kernel sizes; expected 1 to " + MAX_KERNELS);
        for (int k : ks) size(key, k);
    }

    /**
     * The paper's sizes for a variant, with an x-vector exactly where the variant defines or allows one.
     *
     * @param variant     the model
     * @param vocab       the vocabulary size, PAD and UNK included (ignored without a text branch)
     * @param withXvector whether MSCNN-SPU(-ATT) takes an x-vector (Audio-CNN-xvector always does)
     * @return the configuration
     * @throws InputException if the vocabulary is too small for a text branch
     */
    public static ModelConfig of(Variant variant, int vocab, boolean withXvector) {
        boolean xv = switch (variant) {
            case AUDIO_CNN_XVECTOR -> true;
            case MSCNN_SPU, MSCNN_SPU_ATT -> withXvector;
            default -> false;
        };
        return new ModelConfig(variant, xv, Pooling.SPU, Pooling.SPU, variant.text, variant.text ? vocab : 0,
                96, 300, 512, 128, AUDIO_KERNELS, TEXT_KERNELS, 256, Labels.DEFAULT, 0.3f);
    }

    /**
     * This configuration with or without the x-vector.
     *
     * @param on the new value
     * @return a new configuration
     * @throws InputException if the result is not a valid configuration
     */
    public ModelConfig withXvector(boolean on) { return new ModelConfig(variant, on, audioPooling, textPooling, swem, vocab, audioDim, embedDim, xvectorDim, filters, audioKernels, textKernels, hidden, labels, dropout); }
    /**
     * This configuration with another audio pooling (SPU or MAX).
     *
     * @param p the new value
     * @return a new configuration
     * @throws InputException if the result is not a valid configuration
     */
    public ModelConfig withAudioPooling(Pooling p) { return new ModelConfig(variant, xvector, p, textPooling, swem, vocab, audioDim, embedDim, xvectorDim, filters, audioKernels, textKernels, hidden, labels, dropout); }
    /**
     * This configuration with another text pooling (SPU or MAX).
     *
     * @param p the new value
     * @return a new configuration
     * @throws InputException if the result is not a valid configuration
     */
    public ModelConfig withTextPooling(Pooling p) { return new ModelConfig(variant, xvector, audioPooling, p, swem, vocab, audioDim, embedDim, xvectorDim, filters, audioKernels, textKernels, hidden, labels, dropout); }
    /**
     * This configuration with or without SWEM.
     *
     * @param on the new value
     * @return a new configuration
     * @throws InputException if the result is not a valid configuration
     */
    public ModelConfig withSwem(boolean on) { return new ModelConfig(variant, xvector, audioPooling, textPooling, on, vocab, audioDim, embedDim, xvectorDim, filters, audioKernels, textKernels, hidden, labels, dropout); }
    /**
     * This configuration with another vocabulary size.
     *
     * @param v the new value
     * @return a new configuration
     * @throws InputException if the result is not a valid configuration
     */
    public ModelConfig withVocab(int v) { return new ModelConfig(variant, xvector, audioPooling, textPooling, swem, v, audioDim, embedDim, xvectorDim, filters, audioKernels, textKernels, hidden, labels, dropout); }
    /**
     * This configuration with another dropout probability.
     *
     * @param p the new value
     * @return a new configuration
     * @throws InputException if the result is not a valid configuration
     */
    public ModelConfig withDropout(float p) { return new ModelConfig(variant, xvector, audioPooling, textPooling, swem, vocab, audioDim, embedDim, xvectorDim, filters, audioKernels, textKernels, hidden, labels, p); }

    /**
     * This configuration with other output classes.
     *
     * @param l the classes
     * @return a new configuration
     */
    public ModelConfig withLabels(Labels l) { return new ModelConfig(variant, xvector, audioPooling, textPooling, swem, vocab, audioDim, embedDim, xvectorDim, filters, audioKernels, textKernels, hidden, l, dropout); }

    /**
     * The number of output classes.
     *
     * @return the number of classes, E
     */
    public int classes() { return labels.size(); }

    /**
     * This configuration with other sizes (smaller models for tests and golden data; word vectors of another width).
     *
     * @param audioDim   features per frame
     * @param embedDim   word-embedding width
     * @param xvectorDim x-vector width
     * @param filters    filters per kernel size
     * @param hidden     width of the head's hidden layer
     * @return a new configuration
     * @throws InputException if a size is out of range
     */
    public ModelConfig withSizes(int audioDim, int embedDim, int xvectorDim, int filters, int hidden) {
        return new ModelConfig(variant, xvector, audioPooling, textPooling, swem, vocab, audioDim, embedDim, xvectorDim, filters, audioKernels, textKernels, hidden, labels, dropout);
    }

    /**
     * The width of the audio convolution's output: filters times kernel sizes (512).
     *
     * @return the width of the audio convolution's output: filters times kernel sizes (512)
     */
    public int audioChannels() { return filters * audioKernels.length; }

    /**
     * The width of the text convolution's output (512).
     *
     * @return the width of the text convolution's output (512)
     */
    public int textChannels() { return filters * textKernels.length; }

    /**
     * The number of audio pooling blocks, which are also the attention's queries: 3 for SPU, 1 for max.
     *
     * @return the number of audio pooling blocks, which are also the attention's queries: 3 for SPU, 1 for max
     */
    public int audioBlocks() { return audioPooling.blocks(); }

    /**
     * The number of text pooling blocks: 3 for SPU, 1 for max.
     *
     * @return the number of text pooling blocks: 3 for SPU, 1 for max
     */
    public int textBlocks() { return textPooling.blocks(); }

    // Offsets of the parts of the head's input z: audio pooling | x-vector | text pooling | SWEM | attention.

    /**
     * Where the audio pooling starts in the head's input.
     *
     * @return where the audio pooling starts in the head's input
     */
    public int zAudio() { return 0; }

    /**
     * Where the x-vector starts in the head's input.
     *
     * @return where the x-vector starts in the head's input
     */
    public int zXvector() { return zAudio() + (variant.audio ? audioBlocks() * audioChannels() : 0); }

    /**
     * Where the text pooling starts in the head's input.
     *
     * @return where the text pooling starts in the head's input
     */
    public int zText() { return zXvector() + (xvector ? xvectorDim : 0); }

    /**
     * Where SWEM starts in the head's input.
     *
     * @return where SWEM starts in the head's input
     */
    public int zSwem() { return zText() + (variant.text ? textBlocks() * textChannels() : 0); }

    /**
     * Where the attention's output starts in the head's input.
     *
     * @return where the attention's output starts in the head's input
     */
    public int zAttention() { return zSwem() + (swem ? 2 * embedDim : 0); }

    /**
     * F, the width of the head's input.
     *
     * @return F, the width of the head's input
     */
    public int headInput() { return zAttention() + (variant.attention ? audioBlocks() * textChannels() : 0); }

    /**
     * The number of trainable parameters (the model's parameter block), in long arithmetic.
     *
     * @return the number of trainable parameters (the model's parameter block), in long arithmetic
     */
    public long parameterCount() {
        long n = 0;
        if (variant.audio) for (int k : audioKernels) n += (long) filters * audioDim * k + filters;
        if (variant.text) {
            n += (long) vocab * embedDim;
            for (int k : textKernels) n += (long) filters * embedDim * k + filters;
        }
        return n + (long) hidden * headInput() + hidden + (long) classes() * hidden + classes();
    }

    /**
     * The configuration as a checkpoint records it.
     *
     * @return {@code __metadata__} keys and values, in a fixed order
     */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ser4j.model", "mscnn-spu-att");
        m.put("variant", variant.id);
        m.put("xvector", Boolean.toString(xvector));
        m.put("audio_pooling", audioPooling.id);
        m.put("text_pooling", textPooling.id);
        m.put("swem", Boolean.toString(swem));
        m.put("vocab", Integer.toString(vocab));
        m.put("audio_dim", Integer.toString(audioDim));
        m.put("embed_dim", Integer.toString(embedDim));
        m.put("xvector_dim", Integer.toString(xvectorDim));
        m.put("filters", Integer.toString(filters));
        m.put("audio_kernels", join(audioKernels));
        m.put("text_kernels", join(textKernels));
        m.put("hidden", Integer.toString(hidden));
        m.put("classes", Integer.toString(classes()));
        m.put("dropout", Float.toString(dropout));
        m.put("labels", labels.csv());
        return m;
    }

    /**
     * Reads the configuration back from a checkpoint's metadata.
     *
     * @param source the file, for error messages
     * @param m      the checkpoint's {@code __metadata__}
     * @return the configuration
     * @throws InputException if a key is missing or malformed, or the configuration is invalid
     */
    public static ModelConfig fromMetadata(String source, Map<String, String> m) {
        if (!m.containsKey("variant"))
            throw new InputException(source, "has no model configuration in its __metadata__ (no 'variant' key); pass --variant");
        ModelConfig c;
        try {
            c = new ModelConfig(Variant.parse(m.get("variant")), bool(source, m, "xvector"),
                    Pooling.parse("audio_pooling", get(source, m, "audio_pooling")), Pooling.parse("text_pooling", get(source, m, "text_pooling")),
                    bool(source, m, "swem"), integer(source, m, "vocab"), integer(source, m, "audio_dim"), integer(source, m, "embed_dim"),
                    integer(source, m, "xvector_dim"), integer(source, m, "filters"), ints(source, m, "audio_kernels"),
                    ints(source, m, "text_kernels"), integer(source, m, "hidden"), labels(source, m), dropout(source, m));
        } catch (InputException e) {
            throw new InputException(source, "has an invalid model configuration: " + e.getMessage());
        }
        if (c.parameterCount() > MAX_PARAMETERS)
            throw new InputException(source, "has a model configuration with " + c.parameterCount() + " parameters, more than the "
                    + MAX_PARAMETERS + " one parameter block holds");
        return c;
    }

    /** The classes: the {@code labels} list, which must have {@code classes} names; without one, the paper's four. */
    private static Labels labels(String source, Map<String, String> m) {
        int n = integer(source, m, "classes");
        Labels l = m.containsKey("labels") ? Labels.parse("labels", m.get("labels")) : n == Labels.DEFAULT.size() ? Labels.DEFAULT : null;
        if (l == null) throw new InputException(source, "has " + n + " classes but no 'labels' naming them");
        if (l.size() != n) throw new InputException(source, "has 'classes' " + n + " but " + l.size() + " 'labels' (" + shorten(l.csv()) + ")");
        return l;
    }

    private static float dropout(String source, Map<String, String> m) {
        String v = get(source, m, "dropout");
        try {
            return Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new InputException(source, "has '" + shorten(v) + "' for 'dropout' in its model configuration, not a number");
        }
    }

    private static String get(String source, Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) throw new InputException(source, "has no '" + key + "' in its model configuration");
        return v;
    }

    private static boolean bool(String source, Map<String, String> m, String key) {
        String v = get(source, m, key);
        if (!v.equals("true") && !v.equals("false")) throw new InputException(source, "'" + key + "' is '" + v + "', not true or false");
        return Boolean.parseBoolean(v);
    }

    private static int integer(String source, Map<String, String> m, String key) {
        String v = get(source, m, key).strip();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InputException(source, "has '" + shorten(v) + "' for '" + key + "' in its model configuration, not a whole number");
        }
    }

    private static int[] ints(String source, Map<String, String> m, String key) {
        String v = get(source, m, key);
        try {
            return Arrays.stream(v.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new InputException(source, "has '" + shorten(v) + "' for '" + key + "' in its model configuration, not a list of whole numbers");
        }
    }

    private static String shorten(String v) {
        return v.length() <= 40 ? v : v.substring(0, 37) + "...";
    }

    private static String join(int[] a) {
        return Arrays.stream(a).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && toMetadata().equals(c.toMetadata());
    }

    @Override
    public int hashCode() { return toMetadata().hashCode(); }

    @Override
    public String toString() { return "ModelConfig" + toMetadata(); }

    /**
     * The audio kernel sizes.
     *
     * @return a copy of the sizes
     */
    @Override
    public int[] audioKernels() { return audioKernels.clone(); }

    /**
     * The text kernel sizes.
     *
     * @return a copy of the sizes
     */
    @Override
    public int[] textKernels() { return textKernels.clone(); }
}

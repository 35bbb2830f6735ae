package dev.ser4j.cli;

import dev.ser4j.core.InputException;
import dev.ser4j.core.Labels;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.io.SafeTensors;

import java.util.ArrayList;
import java.util.List;

/** Reads a model's sizes off its tensor shapes, for weights written without ser4j's metadata (e.g. by PyTorch). */
final class ShapeInference {
    private ShapeInference() {}

    static ModelConfig infer(SafeTensors st, Variant v, AblationOptions flags) {
        String file = st.file().toString();
        long[] hidden = shape(st, "head.hidden.weight");
        int filters = 128, audioDim = 96, embedDim = 300, vocab = 0;
        int[] audioK = ModelConfig.AUDIO_KERNELS, textK = ModelConfig.TEXT_KERNELS;
        if (v.audio) {
            long[] s = shape(st, "audio.conv.0.weight");
            filters = (int) s[0];
            audioDim = (int) s[1];
            audioK = kernels(st, "audio.conv.");
        }
        if (v.text) {
            long[] e = shape(st, "text.embedding.weight");
            vocab = (int) e[0];
            embedDim = (int) e[1];
            filters = (int) shape(st, "text.conv.0.weight")[0];
            textK = kernels(st, "text.conv.");
        }
        // Without metadata the classes have no names: the paper's four when there are four outputs, else class0, class1, ...
        int outputs = (int) shape(st, "head.output.weight")[0];
        Labels labels = outputs == Labels.DEFAULT.size() ? Labels.DEFAULT
                : new Labels(java.util.stream.IntStream.range(0, outputs).mapToObj(i -> "class" + i).toList());
        ModelConfig base = new ModelConfig(v, false, dev.ser4j.core.Pooling.SPU, dev.ser4j.core.Pooling.SPU, v.text, vocab, audioDim, embedDim,
                512, filters, audioK, textK, (int) hidden[0], labels, 0.3f);
        if (v == Variant.AUDIO_CNN_XVECTOR) base = base.withXvector(true);
        base = flags.apply(base);
        // Whatever of the head's input is not accounted for is the x-vector.
        int extra = (int) hidden[1] - base.headInput();
        if (extra > 0 && !base.xvector() && v.audio && v != Variant.AUDIO_CNN && !flags.noXvector)
            base = new ModelConfig(v, true, base.audioPooling(), base.textPooling(), base.swem(), vocab, audioDim, embedDim,
                    extra, filters, audioK, textK, base.hidden(), labels, 0.3f);
        else if (base.xvector() && extra != 0)
            base = new ModelConfig(v, true, base.audioPooling(), base.textPooling(), base.swem(), vocab, audioDim, embedDim,
                    base.xvectorDim() + extra, filters, audioK, textK, base.hidden(), labels, 0.3f);
        if (base.headInput() != hidden[1])
            throw new InputException(file, "has head.hidden.weight of width " + hidden[1] + ", but a " + v.id
                    + " with these flags has a head input of " + base.headInput());
        return base;
    }

    private static int[] kernels(SafeTensors st, String prefix) {
        List<Integer> ks = new ArrayList<>();
        for (int i = 0; st.has(prefix + i + ".weight"); i++) {
            long[] s = shape(st, prefix + i + ".weight");
            if (s.length != 3) throw new InputException(st.file(), "tensor '" + prefix + i + ".weight' is not [filters, channels, width]");
            ks.add((int) s[2]);
        }
        return ks.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The tensor's shape, every dimension a positive int (the sizes a model can have). */
    private static long[] shape(SafeTensors st, String name) {
        if (!st.has(name)) throw new InputException(st.file(), "has no tensor '" + name + "'");
        long[] s = st.entry(name).shape();
        if (s.length < 2) throw new InputException(st.file(), "tensor '" + name + "' has shape " + java.util.Arrays.toString(s));
        for (long d : s)
            if (d < 1 || d > 1 << 24)
                throw new InputException(st.file(), "tensor '" + name + "' has shape " + java.util.Arrays.toString(s) + ", not the sizes of a model");
        return s;
    }
}

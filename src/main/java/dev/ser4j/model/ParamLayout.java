package dev.ser4j.model;

import dev.ser4j.core.ModelConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each parameter lives in the one contiguous parameter block (and, at the same offsets, in the gradient
 * and Adam blocks). Names and shapes are the model spec's table, in its order.
 */
public final class ParamLayout {
    /** One parameter tensor: its checkpoint name, PyTorch shape and offset in the block. */
    public record Param(String name, long[] shape, int offset, int size) {
        public String shapeString() { return Arrays.toString(shape); }
    }

    public static final String EMBEDDING = "text.embedding.weight";

    private final Map<String, Param> params;
    private final int total;

    public ParamLayout(ModelConfig c) {
        List<Param> list = new ArrayList<>();
        int[] off = {0};
        java.util.function.BiConsumer<String, long[]> add = (name, shape) -> {
            int size = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
            list.add(new Param(name, shape, off[0], size));
            off[0] = Math.addExact(off[0], size);
        };
        if (c.variant().audio) {
            int[] ks = c.audioKernels();
            for (int i = 0; i < ks.length; i++) {
                add.accept("audio.conv." + i + ".weight", new long[]{c.filters(), c.audioDim(), ks[i]});
                add.accept("audio.conv." + i + ".bias", new long[]{c.filters()});
            }
        }
        if (c.variant().text) {
            add.accept(EMBEDDING, new long[]{c.vocab(), c.embedDim()});
            int[] ks = c.textKernels();
            for (int i = 0; i < ks.length; i++) {
                add.accept("text.conv." + i + ".weight", new long[]{c.filters(), c.embedDim(), ks[i]});
                add.accept("text.conv." + i + ".bias", new long[]{c.filters()});
            }
        }
        add.accept("head.hidden.weight", new long[]{c.hidden(), c.headInput()});
        add.accept("head.hidden.bias", new long[]{c.hidden()});
        add.accept("head.output.weight", new long[]{c.classes(), c.hidden()});
        add.accept("head.output.bias", new long[]{c.classes()});
        Map<String, Param> m = new LinkedHashMap<>();
        for (Param p : list) m.put(p.name(), p);
        this.params = Collections.unmodifiableMap(m);
        this.total = off[0];
    }

    public Param get(String name) {
        Param p = params.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter " + name);
        return p;
    }

    public boolean has(String name) { return params.containsKey(name); }

    /** All parameters in block order. */
    public List<Param> all() { return List.copyOf(params.values()); }

    /** Total floats in the block. */
    public int size() { return total; }
}

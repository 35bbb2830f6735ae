package dev.ser4j;

/** How a modality's convolution outputs are pooled over time: the full SPU, or max only (an ablation). */
public enum Pooling {
    SPU("spu"), MAX("max");

    public final String id;

    Pooling(String id) { this.id = id; }

    public static Pooling parse(String flag, String id) {
        for (Pooling p : values()) if (p.id.equals(id)) return p;
        throw new InputException(flag, "'" + id + "' is not a pooling; expected spu or max");
    }

    @Override
    public String toString() { return id; }
}

package dev.ser4j.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shape of a multi-scale "same" 1-D convolution: {@code cin} input channels, {@code filters} output
 * channels per kernel size, outputs of all kernel sizes concatenated in order ({@code cout = filters * kernels}).
 *
 * <p>A kernel of size s reads offsets {@code d = -left(s) .. right(s)} around each position, with
 * {@code left = (s-1)/2}, {@code right = s-1-left} (even sizes look one further right, as TensorFlow's and
 * PyTorch's "same" do). Sequences are stored with {@link #pad()} zero rows on each side of every utterance.
 * For each offset d, the kernels that read it occupy a set of output columns; {@link #runs(int)} gives that
 * set as maximal contiguous column ranges, so a convolution is one matrix product per (offset, run).
 */
public record ConvShape(int cin, int filters, int[] kernels) {
    public ConvShape {
        kernels = kernels.clone();
        if (cin <= 0 || filters <= 0 || kernels.length == 0)
            throw new IllegalArgumentException("empty convolution: cin=" + cin + " filters=" + filters);
        for (int s : kernels) if (s < 1) throw new IllegalArgumentException("kernel size " + s);
    }

    public int cout() { return filters * kernels.length; }

    public static int left(int s) { return (s - 1) / 2; }

    public static int right(int s) { return s - 1 - left(s); }

    /** Most negative offset any kernel reads. */
    public int minOffset() {
        return -Arrays.stream(kernels).map(ConvShape::left).max().orElseThrow();
    }

    /** Most positive offset any kernel reads. */
    public int maxOffset() {
        return Arrays.stream(kernels).map(ConvShape::right).max().orElseThrow();
    }

    /** Zero rows stored on each side of each utterance, enough for every offset. */
    public int pad() {
        return Math.max(-minOffset(), maxOffset());
    }

    /** Weight elements of kernel {@code k}: {@code [filters, cin, kernels[k]]}. */
    public long weightSize(int k) { return (long) filters * cin * kernels[k]; }

    /** A contiguous range of output columns {@code [c0, c1)} whose kernels all read one offset. */
    public record Run(int c0, int c1) {
        public int width() { return c1 - c0; }
    }

    /** The output-column ranges of the kernels that read offset {@code d}. */
    public List<Run> runs(int d) {
        List<Run> runs = new ArrayList<>();
        int start = -1;
        for (int k = 0; k <= kernels.length; k++) {
            boolean covers = k < kernels.length && d >= -left(kernels[k]) && d <= right(kernels[k]);
            if (covers && start < 0) start = k;
            if (!covers && start >= 0) {
                runs.add(new Run(start * filters, k * filters));
                start = -1;
            }
        }
        return runs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvShape c && c.cin == cin && c.filters == filters && Arrays.equals(c.kernels, kernels);
    }

    @Override
    public int hashCode() { return 31 * (31 * cin + filters) + Arrays.hashCode(kernels); }

    @Override
    public String toString() { return "ConvShape[cin=" + cin + ", filters=" + filters + ", kernels=" + Arrays.toString(kernels) + "]"; }

    @Override
    public int[] kernels() { return kernels.clone(); }
}

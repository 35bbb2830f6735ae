package dev.ser4j.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.model.Batch;
import dev.ser4j.model.Example;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The benchmark workloads of issue 6: audio lengths ~ N(444, 306) clipped to [56, 750] frames, text lengths
 * ~ N(15, 9) clipped to [1, 128] tokens (IEMOCAP's statistics), random features and token ids.
 */
public final class Workloads {
    private Workloads() {}

    /** Lengths for {@code n} utterances. */
    public static int[][] lengths(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] l = new int[n][2];
        for (int i = 0; i < n; i++) {
            l[i][0] = (int) Math.round(Math.min(750, Math.max(56, 444 + 306 * rng.nextGaussian())));
            l[i][1] = (int) Math.round(Math.min(128, Math.max(1, 15 + 9 * rng.nextGaussian())));
        }
        return l;
    }

    /** One batch with the given (frames, tokens) per utterance, padded to its own maximum. */
    public static Batch batch(ModelConfig cfg, int[][] lengths, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int B = lengths.length, T = Arrays.stream(lengths).mapToInt(l -> l[0]).max().orElse(1),
                M = Arrays.stream(lengths).mapToInt(l -> l[1]).max().orElse(1), A = cfg.audioDim();
        float[] audio = new float[B * T * A], xv = cfg.xvector() ? new float[B * cfg.xvectorDim()] : null;
        int[] aLen = new int[B], tokens = new int[B * M], tLen = new int[B], labels = new int[B];
        for (int b = 0; b < B; b++) {
            aLen[b] = lengths[b][0];
            tLen[b] = lengths[b][1];
            labels[b] = rng.nextInt(4);
            for (int i = 0; i < aLen[b] * A; i++) audio[b * T * A + i] = (float) rng.nextGaussian();
            for (int t = 0; t < tLen[b]; t++) tokens[b * M + t] = rng.nextInt(1, cfg.vocab());
            if (xv != null) for (int c = 0; c < cfg.xvectorDim(); c++) xv[b * cfg.xvectorDim() + c] = (float) rng.nextGaussian();
        }
        return new Batch(B, T, M, audio, aLen, tokens, tLen, labels, xv);
    }

    /** A batch of {@code B} utterances with lengths uniform in [lo, hi] frames and [tlo, thi] tokens. */
    public static Batch uniformBatch(ModelConfig cfg, int B, int lo, int hi, int tlo, int thi, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] l = new int[B][];
        for (int b = 0; b < B; b++) l[b] = new int[]{rng.nextInt(lo, hi + 1), rng.nextInt(tlo, thi + 1)};
        return batch(cfg, l, seed + 1);
    }

    /**
     * {@code n} utterances of the benchmark workload as training examples (random N(0,1) features, token ids, x-vector
     * and label): what {@code ./ser4j bench} trains on, and what bench/compare-pytorch.sh gives PyTorch.
     */
    public static List<Example> examples(ModelConfig cfg, int n, long seed) {
        int[][] lengths = lengths(n, seed);
        SplittableRandom rng = new SplittableRandom(seed + 1);
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(example(cfg, rng, "u" + i, lengths[i][0], lengths[i][1]));
        return out;
    }

    /** One random example of the given lengths. */
    public static Example example(ModelConfig cfg, SplittableRandom rng, String id, int frames, int words) {
        float[] audio = new float[frames * cfg.audioDim()];
        for (int i = 0; i < audio.length; i++) audio[i] = (float) rng.nextGaussian();
        int[] tokens = new int[words];
        for (int t = 0; t < words; t++) tokens[t] = rng.nextInt(1, cfg.vocab());
        float[] xv = new float[cfg.xvectorDim()];
        for (int i = 0; i < xv.length; i++) xv[i] = (float) rng.nextGaussian();
        return new Example(id, "s", "s", audio, frames, tokens, cfg.xvector() ? xv : null, rng.nextInt(4));
    }

    /**
     * The utterances (frames, label, token ids) and the batches (indices into the utterances) of a benchmark, as
     * JSON: what {@code bench/pytorch_bench.py --workload} reads to run PyTorch on the very same batch shapes.
     */
    public static ObjectNode describe(ObjectMapper om, List<Example> examples, List<List<Example>> bucketed, List<List<Example>> padded) {
        Map<Example, Integer> index = new IdentityHashMap<>();
        ObjectNode r = om.createObjectNode();
        r.put("source", "ser4j's own: Workloads.examples, Batcher.epoch").put("n", examples.size());
        ArrayNode utts = r.putArray("utterances");
        for (Example e : examples) {
            index.put(e, index.size());
            ObjectNode u = utts.addObject().put("frames", e.frames()).put("label", e.label());
            ArrayNode tokens = u.putArray("tokens");
            for (int t : e.tokens()) tokens.add(t);
        }
        for (var kind : List.of(Map.entry("bucketed", bucketed), Map.entry("padded", padded))) {
            ArrayNode batches = r.putArray(kind.getKey());
            for (List<Example> b : kind.getValue()) {
                ArrayNode ids = batches.addArray();
                for (Example e : b) ids.add(index.get(e));
            }
        }
        return r;
    }
}

package dev.ser4j.train;

import dev.ser4j.model.Example;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Generated examples whose audio carries arousal and whose first word names the class, for training tests. */
final class Examples {
    private Examples() {}

    /** {@code perSpeaker} utterances for each of {@code speakers} speakers, two speakers per session. */
    static List<Example> make(int speakers, int perSpeaker, int dim, int vocab, boolean xvector, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>();
        for (int s = 0; s < speakers; s++)
            for (int i = 0; i < perSpeaker; i++) {
                int label = (s + i) % 4, frames = rng.nextInt(8, 40), words = rng.nextInt(0, 7);
                float[] audio = new float[frames * dim];
                for (int t = 0; t < frames; t++)
                    for (int c = 0; c < dim; c++)
                        audio[t * dim + c] = (float) (rng.nextGaussian() * 3 + 10 + (c < 4 ? (label < 2 ? 2.5 : -2.5) : c < 8 ? (label % 2 == 0 ? 1 : -1) : 0));
                int[] tokens = new int[words];
                for (int w = 0; w < words; w++) tokens[w] = rng.nextInt(6, vocab);
                if (words > 0 && rng.nextBoolean()) tokens[0] = 2 + label;
                float[] xv = xvector ? new float[]{(float) rng.nextGaussian(), s, 1, -1} : null;
                out.add(new Example("u" + s + "_" + i, "spk" + s, "ses" + s / 2, audio, frames, tokens, xv, label));
            }
        return out;
    }
}

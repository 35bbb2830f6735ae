package dev.ser4j.audio;

import dev.ser4j.core.InputException;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Augmented copies of a 16 kHz recording, each a pure function of the recording, the copy's index and the seed:
 * speed perturbation (Ko et al. 2015, as Kaldi does it: the samples resampled as if recorded at {@code 16000 * speed}
 * Hz, so tempo and pitch change together) and additive noise at a random signal-to-noise ratio (Gaussian noise
 * through a one-pole low-pass of random coefficient, from white to brown; no noise corpus is needed).
 *
 * @param speeds      the speed factors of the speed-perturbed copies (e.g. 0.9, 1.1)
 * @param noisyCopies how many noisy copies (at speed 1)
 * @param minSnrDb    lowest signal-to-noise ratio of a noisy copy, in dB
 * @param maxSnrDb    highest, in dB
 * @param seed        the seed of the noise
 */
public record WaveAugment(List<Double> speeds, int noisyCopies, double minSnrDb, double maxSnrDb, long seed) {
    /** No copies. */
    public static final WaveAugment NONE = new WaveAugment(List.of(), 0, 0, 0, 0);

    public WaveAugment {
        speeds = List.copyOf(speeds);
        for (double s : speeds) if (!(s >= 0.5 && s <= 2)) throw new InputException("--wave-augment", "speed " + s + " is not in [0.5, 2]");
        if (noisyCopies < 0 || noisyCopies > 16) throw new InputException("--wave-augment", noisyCopies + " noisy copies; expected 0 to 16");
        if (!Double.isFinite(minSnrDb) || !Double.isFinite(maxSnrDb))
            throw new InputException("--wave-augment", "the SNR range " + minSnrDb + ".." + maxSnrDb + " is not finite");
        if (!(minSnrDb <= maxSnrDb)) throw new InputException("--wave-augment", "the SNR range " + minSnrDb + ".." + maxSnrDb + " is empty");
    }

    /** The number of augmented copies. */
    public int copies() {
        return speeds.size() + noisyCopies;
    }

    /** Copy {@code k}'s definition, part of its feature-cache key: e.g. {@code speed=0.9} or {@code noise=2,snr=5..20,seed=1}. */
    public String describe(int k) {
        return k < speeds.size() ? "speed=" + speeds.get(k)
                : "noise=" + (k - speeds.size()) + ",snr=" + minSnrDb + ".." + maxSnrDb + ",seed=" + seed;
    }

    /**
     * Copy {@code k} of {@code samples16k}; {@code key} (the recording's content hash) seeds its noise, so the copy
     * does not depend on which utterance or in which order it is made.
     */
    public float[] apply(int k, float[] samples16k, long key) {
        if (k < speeds.size()) {
            int rate = (int) Math.round(Mfcc.SAMPLE_RATE * speeds.get(k));
            return Resampler.of(rate, Mfcc.SAMPLE_RATE).process(samples16k);
        }
        SplittableRandom rng = new SplittableRandom(seed ^ key * 0x9E3779B97F4A7C15L ^ (k + 1) * 0xBF58476D1CE4E5B9L);
        double snr = minSnrDb + (maxSnrDb - minSnrDb) * rng.nextDouble(), alpha = 0.95 * rng.nextDouble();
        double[] noise = new double[samples16k.length];
        double prev = 0, speech = 0, power = 0;
        for (int i = 0; i < noise.length; i++) {
            prev = alpha * prev + (1 - alpha) * rng.nextGaussian();
            noise[i] = prev;
            power += prev * prev;
            speech += (double) samples16k[i] * samples16k[i];
        }
        // scale the noise to speech power / 10^(snr/10); silence stays silence plus noise of the same scale as for speech
        double gain = power == 0 || speech == 0 ? 0 : Math.sqrt(speech / power / Math.pow(10, snr / 10));
        float[] out = new float[samples16k.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) (samples16k[i] + gain * noise[i]);
        return out;
    }

    /** Parses {@code none} or {@code speed=0.9:1.1,noise=1:5:20} (speeds; noisy copies, lowest and highest SNR in dB). */
    public static WaveAugment parse(String flag, String spec, long seed) {
        if (spec.equals("none")) return NONE;
        List<Double> speeds = new ArrayList<>();
        int noisy = 0;
        double lo = 0, hi = 0;
        try {
            for (String part : spec.split(",")) {
                String[] kv = part.strip().split("=", 2);
                if (kv.length != 2) throw new NumberFormatException();
                String[] v = kv[1].split(":", -1);
                switch (kv[0]) {
                    case "speed" -> { for (String s : v) speeds.add(Double.parseDouble(s)); }
                    case "noise" -> {
                        if (v.length != 3) throw new NumberFormatException();
                        noisy = Integer.parseInt(v[0]);
                        lo = Double.parseDouble(v[1]);
                        hi = Double.parseDouble(v[2]);
                    }
                    default -> throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw new InputException(flag, "'" + spec + "' is not none or speed=S1:S2,noise=COPIES:MIN_SNR:MAX_SNR (e.g. speed=0.9:1.1,noise=1:5:20)");
        }
        try {
            return new WaveAugment(speeds, noisy, lo, hi, seed);
        } catch (InputException e) {
            throw new InputException(flag, e.getMessage().substring(e.source().length() + 2));
        }
    }
}

package dev.ser4j.synth;

/**
 * What happens to espeak-ng's speech after resampling to 16 kHz (docs/corpus.md, A2 "Synthesis procedure",
 * steps 3 to 5):
 * <pre>
 *   tilt      s[n] = x[n] - t x[n-1], rescaled to x's RMS                (t > 0 brighter, t < 0 duller)
 *   noise     y[n] = w[n] + 0.9 y[n-1], w white Gaussian, scaled so that mean(y^2) = P_speech / 10^(snr/10)
 *             P_speech = mean power of the 10 ms frames of s within 40 dB of its loudest frame
 *   output    (s * 10^(loud/20) + y) * 10^(level/20)
 * </pre>
 * The SNR is set before the loudness gain, so the noise floor does not follow the emotion. Clipping to
 * [-1, 32767/32768] and rounding happen in the 16-bit writer. Transcendental functions are {@link StrictMath}'s,
 * so a corpus is byte-identical on every platform with the same espeak-ng.
 */
final class PostProcess {
    private PostProcess() {}

    /** The whole chain for one utterance: 16 kHz speech in, the samples of its WAV out. */
    static float[] render(float[] speech, SynthUtterance u) {
        double[] s = tilt(speech, u.tilt());
        double[] noise = noise(s.length, speechPower(s) / StrictMath.pow(10, u.snrDb() / 10), u.noiseSeed());
        return mix(s, u.loudDb(), noise, u.speaker().levelDb());
    }

    /** s[n] = x[n] - t x[n-1] (x[-1] = 0), then scaled back to x's RMS; all zeros stay zeros. */
    static double[] tilt(float[] x, double t) {
        double[] s = new double[x.length];
        double before = 0, after = 0;
        for (int n = 0; n < x.length; n++) {
            s[n] = x[n] - t * (n > 0 ? x[n - 1] : 0);
            before += (double) x[n] * x[n];
            after += s[n] * s[n];
        }
        if (after > 0) {
            double g = Math.sqrt(before / after);
            for (int n = 0; n < s.length; n++) s[n] *= g;
        }
        return s;
    }

    /**
     * Mean power of the 10 ms (160-sample) frames within 40 dB of the loudest frame: the level of the speech
     * without its pauses. Whole frames only; a signal shorter than one frame is one frame.
     */
    static double speechPower(double[] s) {
        int frames = s.length / CorpusSpec.FRAME_SAMPLES;
        if (frames == 0) return meanSquare(s, 0, s.length);
        double[] power = new double[frames];
        double loudest = 0;
        for (int f = 0; f < frames; f++) {
            power[f] = meanSquare(s, f * CorpusSpec.FRAME_SAMPLES, CorpusSpec.FRAME_SAMPLES);
            loudest = Math.max(loudest, power[f]);
        }
        double threshold = loudest * StrictMath.pow(10, -CorpusSpec.ACTIVE_RANGE_DB / 10);
        double sum = 0;
        int active = 0;
        for (double p : power) {
            if (p >= threshold) {
                sum += p;
                active++;
            }
        }
        return sum / active;
    }

    private static double meanSquare(double[] s, int from, int n) {
        double sum = 0;
        for (int i = from; i < from + n; i++) sum += s[i] * s[i];
        return n == 0 ? 0 : sum / n;
    }

    /** n samples of coloured Gaussian noise with mean power exactly {@code power}, from its own stream. */
    static double[] noise(int n, double power, long seed) {
        Draws d = new Draws(seed);
        double[] y = new double[n];
        double prev = 0, sum = 0;
        for (int i = 0; i < n; i++) {
            prev = d.standardNormal() + CorpusSpec.NOISE_POLE * prev;
            y[i] = prev;
            sum += prev * prev;
        }
        double g = sum > 0 ? Math.sqrt(power / (sum / n)) : 0;
        for (int i = 0; i < n; i++) y[i] *= g;
        return y;
    }

    /** (s 10^(loud/20) + noise) 10^(level/20). */
    static float[] mix(double[] s, double loudDb, double[] noise, double levelDb) {
        double loud = StrictMath.pow(10, loudDb / 20), level = StrictMath.pow(10, levelDb / 20);
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) out[i] = (float) ((s[i] * loud + noise[i]) * level);
        return out;
    }
}

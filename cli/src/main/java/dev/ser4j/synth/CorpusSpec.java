package dev.ser4j.synth;


import java.util.List;

/**
 * The design parameters of the synthetic corpus (docs/corpus.md, A2 and A4): 16 espeak-ng speakers in 8
 * sessions, the emotion prosody drawn per utterance relative to the speaker, the noise, and the sizes.
 */
public final class CorpusSpec {
    private CorpusSpec() {}

    /**
     * One synthetic speaker (A2's table). {@code pitch}, {@code wpm}, {@code amp} are espeak-ng's -p, -s, -a
     * before the emotion's offsets; {@code range} is added to SSML's prosody range (percentage points);
     * {@code levelDb} is the speaker's recording level, applied digitally.
     */
    public record Speaker(String id, int session, char gender, String voice, int pitch, int wpm, int amp, int range,
                          double levelDb) {}

    /**
     * How an emotion moves the voice (A2's prosody table): normal draws of the pitch offset, the range offset,
     * the rate factor, the loudness in dB and the spectral tilt, and the word gap U{0..gapMax}.
     */
    record Prosody(double pitchMean, double pitchSd, double rangeMean, double rangeSd, double rateMean, double rateSd,
                   double loudMean, double loudSd, int gapMax, double tiltMean, double tiltSd) {}

    /** Speakers in table order S1M ... S8F; utterance i is spoken by {@code SPEAKERS[(i / 4) % 16]}. */
    public static final List<Speaker> SPEAKERS = List.of(
            new Speaker("S1M", 1, 'M', "en-us+m1", 48, 145, 72, 0, 0.0),
            new Speaker("S1F", 1, 'F', "en+f1", 50, 150, 51, 5, 1.0),
            new Speaker("S2M", 2, 'M', "en+m3", 53, 155, 58, -5, -1.0),
            new Speaker("S2F", 2, 'F', "en-us+f2", 47, 143, 53, -5, 0.5),
            new Speaker("S3M", 3, 'M', "en-gb-scotland+m2", 50, 157, 69, 20, -0.5),
            new Speaker("S3F", 3, 'F', "en-us-nyc+f3", 46, 147, 56, -10, 1.5),
            new Speaker("S4M", 4, 'M', "en-us-nyc+m5", 54, 160, 68, 0, 0.0),
            new Speaker("S4F", 4, 'F', "en-us+f4", 52, 140, 53, 10, -1.5),
            new Speaker("S5M", 5, 'M', "en-us+m6", 46, 150, 63, -10, 1.0),
            new Speaker("S5F", 5, 'F', "en+f5", 50, 153, 61, 5, 0.0),
            new Speaker("S6M", 6, 'M', "en-us+klatt3", 51, 147, 67, -10, -1.0),
            new Speaker("S6F", 6, 'F', "en-gb-scotland+f2", 49, 145, 46, 5, 0.5),
            new Speaker("S7M", 7, 'M', "en+victor", 47, 153, 109, 5, 0.0),
            new Speaker("S7F", 7, 'F', "en+f4", 52, 151, 51, 10, -0.5),
            new Speaker("S8M", 8, 'M', "en-gb-scotland+norbert", 50, 143, 38, 0, 1.5),
            new Speaker("S8F", 8, 'F', "en-us-nyc+f1", 48, 157, 53, 0, -1.0));

    /** Emotions in the corpus order; utterance i has {@code EMOTIONS[i % 4]}. */
    public static final List<Emotion> EMOTIONS = List.of(Emotion.NEUTRAL, Emotion.HAPPY, Emotion.ANGRY, Emotion.SAD);

    static Prosody prosody(Emotion e) {
        return switch (e) {
            case NEUTRAL -> new Prosody(0, 5, 0, 25, 1.00, 0.07, 0.0, 2.0, 1, 0.00, 0.15);
            case HAPPY -> new Prosody(16, 6, 65, 25, 1.25, 0.07, 3.2, 2.0, 0, 0.40, 0.15);
            case ANGRY -> new Prosody(14, 6, 58, 25, 1.27, 0.07, 3.9, 2.0, 0, 0.48, 0.15);
            case SAD -> new Prosody(-3, 5, -15, 25, 0.94, 0.07, -0.7, 2.0, 2, -0.10, 0.15);
        };
    }

    /** Utterances of {@code --size default}: 500 per class, 124 to 128 per speaker. */
    public static final int DEFAULT_SIZE = 2000;
    /** Utterances of {@code --size tiny}: exactly the first 200 of the default corpus. */
    public static final int TINY_SIZE = 200;
    /** Largest corpus: ids keep their five-digit index. */
    public static final int MAX_SIZE = 100_000;
    /** The seed behind every number in corpus.md. */
    public static final long DEFAULT_SEED = 20240;

    /** Text-type thresholds on u ~ U(0, 1): specific below 0.5, valence-shared below 0.8, else ambiguous. */
    static final double SPECIFIC_BELOW = 0.5, VALENCE_BELOW = 0.8;
    /** espeak-ng's accepted ranges, and SSML's clamp of the range (+100% is its maximum). */
    static final int PITCH_MIN = 0, PITCH_MAX = 99, SPEED_MIN = 80, SPEED_MAX = 350, RANGE_MIN = -90, RANGE_MAX = 100;
    /** |tilt| limit of y[n] = x[n] - t x[n-1]. */
    static final double TILT_LIMIT = 0.8;
    /** SNR ~ U(15, 30) dB, against the speech before the loudness gain. */
    static final double SNR_MIN_DB = 15, SNR_MAX_DB = 30;
    /** The noise is white Gaussian through y[n] = w[n] + 0.9 y[n-1]. */
    static final double NOISE_POLE = 0.9;
    /** Speech power: mean power of 10 ms frames within 40 dB of the loudest. */
    static final int FRAME_SAMPLES = 160;
    static final double ACTIVE_RANGE_DB = 40;
    /** Output sample rate. */
    public static final int SAMPLE_RATE = 16_000;
}

package dev.ser4j.audio;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A WAV file as mono 16 kHz samples: read, mixed down, and resampled when recorded at another rate. */
public final class Audio16k {
    private Audio16k() {}

    private static final Map<Integer, Resampler> RESAMPLERS = new ConcurrentHashMap<>();

    /** The samples at 16 kHz; throws {@link dev.ser4j.core.InputException} for a file that is not a readable WAV. */
    public static float[] read(Path file) {
        Wav w = Wav.read(file);
        return toModelRate(w.samples(), w.sampleRate());
    }

    /** A parsed WAV's samples at 16 kHz. */
    public static float[] of(Wav w) {
        return toModelRate(w.samples(), w.sampleRate());
    }

    /** Resamples to 16 kHz (a no-op at 16 kHz). {@link Resampler} is immutable, so one per rate is shared. */
    public static float[] toModelRate(float[] samples, int rate) {
        if (rate == Mfcc.SAMPLE_RATE) return samples;
        return RESAMPLERS.computeIfAbsent(rate, r -> Resampler.of(r, Mfcc.SAMPLE_RATE)).process(samples);
    }
}

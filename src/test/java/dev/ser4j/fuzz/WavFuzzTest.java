package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.audio.Wav;

import static dev.ser4j.fuzz.Property.check;
import static dev.ser4j.fuzz.Property.resultOrInputException;

/** WAV: any bytes decode to finite mono samples at a sane rate, or fail with InputException. */
class WavFuzzTest {
    private static final String NAME = "fuzz.wav";

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyBytesDecodeOrFailWithInputException(byte[] data) {
        Wav w = resultOrInputException(data.length, () -> Wav.parse(data, NAME), NAME);
        if (w == null) return;
        check(w.sampleRate() >= 1 && w.sampleRate() <= Wav.MAX_SAMPLE_RATE, "sample rate " + w.sampleRate());
        check(w.channels() >= 1, w.channels() + " channels");
        check((long) w.samples().length * w.channels() * w.encoding().bits / 8 <= data.length, "more samples than bytes");
        for (float x : w.samples()) check(Float.isFinite(x), "sample " + x);
    }
}

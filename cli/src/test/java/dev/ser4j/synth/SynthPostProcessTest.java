package dev.ser4j.synth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tilt filter, the speech-power rule, the noise and the gains of A2's synthesis procedure. */
class SynthPostProcessTest {
    static float[] tone(double hz, int n, double amplitude) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / 16000));
        return x;
    }

    static double power(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return s / x.length;
    }

    /** Power of y's component at hz (y spans whole cycles of it). */
    static double powerAt(double[] y, double hz) {
        double s = 0, c = 0;
        for (int i = 0; i < y.length; i++) {
            s += y[i] * Math.sin(2 * Math.PI * hz * i / 16000);
            c += y[i] * Math.cos(2 * Math.PI * hz * i / 16000);
        }
        return (s * s + c * c) * 4 / ((double) y.length * y.length);
    }

    @Test
    void tiltKeepsTheRmsAndTiltsTheSpectrum() {
        float[] low = tone(200, 16000, 0.3), high = tone(6000, 16000, 0.3);
        float[] both = new float[16000];
        for (int i = 0; i < both.length; i++) both[i] = low[i] + high[i];
        double in = 0;
        for (float v : both) in += (double) v * v;
        for (double t : new double[]{0.6, -0.6}) {
            double[] y = PostProcess.tilt(both, t);
            assertEquals(in / both.length, power(y), 1e-12, "RMS restored");
            // y[n] = x[n] - t x[n-1] has power gain 1 - 2 t cos(w) + t^2 at w = 2 pi f / 16000
            double gHigh = 1 - 2 * t * Math.cos(2 * Math.PI * 6000 / 16000) + t * t;
            double gLow = 1 - 2 * t * Math.cos(2 * Math.PI * 200 / 16000) + t * t;
            assertEquals(gHigh / gLow, powerAt(y, 6000) / powerAt(y, 200), 0.01 * gHigh / gLow, "t = " + t);
        }
        assertArrayEquals(new double[4], PostProcess.tilt(new float[4], 0.5));
    }

    @Test
    void speechPowerIgnoresPausesMoreThan40dBDown() {
        double[] s = new double[16000];
        for (int i = 0; i < 8000; i++) s[i] = 0.1 * Math.sin(2 * Math.PI * 500 * i / 16000.0);   // 0.5 s of tone, then silence
        assertEquals(0.005, PostProcess.speechPower(s), 1e-5);                                  // 0.1^2 / 2, not half of it
        for (int i = 8000; i < 16000; i++) s[i] = 0.002;                                          // 37 dB down: counted
        assertEquals((0.005 + 0.002 * 0.002) / 2, PostProcess.speechPower(s), 1e-5);
    }

    @Test
    void noiseHasTheRequestedPowerAndIsLowPass() {
        double[] y = PostProcess.noise(32000, 1e-4, 9);
        assertEquals(1e-4, power(y), 1e-15);
        // y[n] = w[n] + 0.9 y[n-1]: neighbouring samples correlate with coefficient 0.9
        double c = 0;
        for (int i = 1; i < y.length; i++) c += y[i] * y[i - 1];
        assertEquals(0.9, c / (y.length - 1) / power(y), 0.02);
        assertArrayEquals(y, PostProcess.noise(32000, 1e-4, 9));
    }

    @Test
    void renderSetsTheSnrBeforeTheLoudnessGain() {
        SynthUtterance u = SynthUtterance.draw(CorpusSpec.DEFAULT_SEED, 2);               // angry: a loud draw
        float[] speech = tone(300, 32000, 0.05);
        float[] out = PostProcess.render(speech, u);
        double[] s = PostProcess.tilt(speech, u.tilt());
        double level = Math.pow(10, u.speaker().levelDb() / 20), loud = Math.pow(10, u.loudDb() / 20);
        double[] noise = new double[out.length];
        for (int i = 0; i < out.length; i++) noise[i] = out[i] / level - s[i] * loud;
        double snr = 10 * Math.log10(PostProcess.speechPower(s) / power(noise));
        assertEquals(u.snrDb(), snr, 1e-3, "SNR against the speech before its loudness gain");
    }
}

package dev.ser4j.cli;

import dev.ser4j.audio.Mfcc;
import dev.ser4j.audio.Resampler;
import dev.ser4j.audio.Wav;
import dev.ser4j.io.SafeTensors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./ser4j features IN.wav --out OUT.safetensors}: the model's audio input for one file, so it can be
 * checked against librosa from outside. Writes the tensor {@code mfcc [frames, 96] F32} (c0..c31, delta,
 * delta-delta per frame; all frames, before the model's 750-frame cut) and the parameters as metadata.
 * Audio at another rate is resampled to 16 kHz first (said on stderr).
 */
@Command(name = "features", sortOptions = false,
        description = {"Librosa-exact MFCC + delta + delta-delta (96 per 10 ms frame) of one WAV file, as safetensors.",
                "Writes mfcc [frames, 96] F32; other sample rates are resampled to 16 kHz first."})
public final class FeaturesCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.wav", description = "Input WAV (PCM 8/16/24/32-bit or float; any rate and channel count).")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "OUT.safetensors", description = "Output file (written atomically).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Wav wav = Wav.read(in);
        float[] x = wav.samples();
        if (wav.sampleRate() != Mfcc.SAMPLE_RATE) {
            spec.commandLine().getErr().printf(Locale.ROOT, "ser4j: %s is %d Hz; resampling to %d Hz before the MFCC%n",
                    in, wav.sampleRate(), Mfcc.SAMPLE_RATE);
            x = Resampler.of(wav.sampleRate(), Mfcc.SAMPLE_RATE).process(x);
        }
        float[] features = new Mfcc().features(in.toString(), x);
        int frames = features.length / Mfcc.FEATURES;
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", in.getFileName().toString());
        meta.put("source_sample_rate", Integer.toString(wav.sampleRate()));
        meta.put("source_channels", Integer.toString(wav.channels()));
        meta.put("sample_rate", Integer.toString(Mfcc.SAMPLE_RATE));
        meta.put("samples", Integer.toString(x.length));
        meta.put("frames", Integer.toString(frames));
        meta.put("layout", "[frames, 96]: mfcc c0..c31, delta 0..31, delta-delta 0..31");
        meta.put("n_mfcc", Integer.toString(Mfcc.N_MFCC));
        meta.put("n_fft", Integer.toString(Mfcc.N_FFT));
        meta.put("hop_length", Integer.toString(Mfcc.HOP));
        meta.put("win_length", Integer.toString(Mfcc.N_FFT));
        meta.put("window", "hamming");
        meta.put("n_mels", Integer.toString(Mfcc.N_MELS));
        meta.put("top_db", "80");
        meta.put("delta_width", Integer.toString(Mfcc.DELTA_WIDTH));
        meta.put("reference", "librosa 0.11: feature.mfcc(sr=16000, n_mfcc=32, n_fft=400, hop_length=160, window='hamming') + feature.delta(width=9, order=1, 2)");
        SafeTensors.writer().metadata(meta).f32("mfcc", features, frames, Mfcc.FEATURES).write(out);
        spec.commandLine().getOut().printf(Locale.ROOT, "%s: mfcc [%d, %d] from %.2f s%n", out, frames, Mfcc.FEATURES,
                x.length / (double) Mfcc.SAMPLE_RATE);
        return 0;
    }
}

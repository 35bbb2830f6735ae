import dev.ser4j.EmotionRecognizer;
import dev.ser4j.Speech;
import dev.ser4j.audio.Audio16k;
import dev.ser4j.audio.Mfcc;
import dev.ser4j.audio.Wav;
import dev.ser4j.data.Manifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a prediction's time goes, on one core (run with -XX:ActiveProcessorCount=1 and OPENBLAS_NUM_THREADS=1 by
 * spark-predict.sh): reading the WAVs, their MFCC, and the whole predictAll (MFCC and model), over every row of a
 * manifest; the model's share is predictAll less the MFCC. A single-file program: java -cp JARS PredictCost.java
 * MODEL MANIFEST.
 */
public final class PredictCost {
    public static void main(String[] args) {
        Path model = Path.of(args[0]), manifest = Path.of(args[1]);
        List<Manifest.Entry> rows = Manifest.entries(manifest).stream().filter(e -> e.problem() == null).toList();
        for (int pass = 0; pass < 2; pass++) {                      // the first pass warms the JIT up
            long t0 = System.nanoTime();
            List<Wav> wavs = new ArrayList<>();
            double seconds = 0;
            for (Manifest.Entry e : rows) {
                Wav w = Wav.read(e.utterance().audio());
                wavs.add(w);
                seconds += w.seconds();
            }
            long t1 = System.nanoTime();
            Mfcc mfcc = new Mfcc();
            long frames = 0;
            for (int i = 0; i < wavs.size(); i++)
                frames += mfcc.features("x", Audio16k.of(wavs.get(i))).length / Mfcc.FEATURES;
            long t2 = System.nanoTime();
            List<Speech> speeches = new ArrayList<>();
            for (int i = 0; i < wavs.size(); i++)
                speeches.add(Speech.of(wavs.get(i).samples(), wavs.get(i).sampleRate()).withTranscript(rows.get(i).utterance().transcript()));
            try (EmotionRecognizer ser = EmotionRecognizer.load(model, EmotionRecognizer.Options.DEFAULT.withInstances(1))) {
                for (int b = 0; b < speeches.size(); b += 256) ser.predictAll(speeches.subList(b, Math.min(speeches.size(), b + 256)));
            }
            long t3 = System.nanoTime();
            int n = rows.size();
            double read = (t1 - t0) / 1e6 / n, features = (t2 - t1) / 1e6 / n, all = (t3 - t2) / 1e6 / n;
            if (pass == 1)
                System.out.printf(Locale.ROOT, "%d utterances, %.2f s of audio and %d frames each on average; per utterance on one core: read %.2f ms, "
                                + "MFCC %.2f ms, model %.2f ms (predictAll %.2f ms less its MFCC)%n", n, seconds / n, frames / n, read, features,
                        all - features, all);
        }
    }
}

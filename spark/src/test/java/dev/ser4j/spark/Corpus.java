package dev.ser4j.spark;

import dev.ser4j.audio.Wav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A small generated emotional corpus, learnable in seconds (a copy of the command line's test corpus; test jars
 * across these modules are awkward): the voice carries arousal (pitch and loudness high for angry and happy, low for
 * sad and neutral) and the words name the class half of the time. Written as WAVs and a manifest.
 */
final class Corpus {
    private Corpus() {}

    static final String[] CLASSES = {"angry", "happy", "sad", "neutral"};

    record Utt(String id, String speaker, String session, String label, String transcript, float[] samples) {}

    private static final String[][] WORDS = {
            {"furious", "outraged", "livid"}, {"delighted", "wonderful", "thrilled"},
            {"miserable", "lonely", "heartbroken"}, {"schedule", "form", "appointment"}};
    private static final String[] FILLER = {"the", "meeting", "is", "on", "monday", "we", "talked", "about", "it", "yesterday", "okay", "so"};

    /** {@code perSpeaker} utterances for each of 2 speakers in each of {@code sessions} sessions. */
    static List<Utt> make(int sessions, int perSpeaker, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Utt> out = new ArrayList<>();
        for (int s = 1; s <= sessions; s++)
            for (String g : new String[]{"F", "M"})
                for (int i = 0; i < perSpeaker; i++) {
                    int e = i % 4;
                    boolean aroused = e < 2;
                    double f0 = (g.equals("F") ? 1.6 : 1.0) * (aroused ? 230 : 125) * (1 + 0.05 * rng.nextGaussian());
                    double amp = aroused ? 0.4 : 0.15;
                    int n = 16000 + rng.nextInt(9600);
                    float[] x = new float[n];
                    for (int t = 0; t < n; t++) {
                        double ph = 2 * Math.PI * f0 * t / 16000;
                        x[t] = (float) (amp * Math.sin(Math.PI * t / n) * (Math.sin(ph) + 0.5 * Math.sin(2 * ph) + 0.25 * Math.sin(3 * ph))
                                + 0.01 * rng.nextGaussian());
                    }
                    StringBuilder text = new StringBuilder();
                    int words = 3 + rng.nextInt(5);
                    for (int w = 0; w < words; w++) text.append(w == 0 ? "" : " ").append(FILLER[rng.nextInt(FILLER.length)]);
                    if (rng.nextBoolean()) text.append(", ").append(WORDS[e][rng.nextInt(3)]);
                    text.append(i % 3 == 0 ? "!" : ".");
                    String session = String.format(Locale.ROOT, "Ses%02d", s);
                    String id = String.format(Locale.ROOT, "%sF_impro01_%s%03d", session, g, i);
                    out.add(new Utt(id, session + g, session, CLASSES[e], text.toString(), x));
                }
        return out;
    }

    /** Writes WAVs and a manifest (TSV: id, speaker, session, label, transcript, path); returns the manifest. */
    static Path manifest(Path dir, List<Utt> utts) throws IOException {
        StringBuilder tsv = new StringBuilder("id\tspeaker\tsession\tlabel\ttranscript\tpath\n");
        for (Utt u : utts) {
            Path wav = dir.resolve("wav").resolve(u.id() + ".wav");
            Files.createDirectories(wav.getParent());
            Wav.writePcm16(wav, u.samples(), 16000);
            tsv.append(u.id()).append('\t').append(u.speaker()).append('\t').append(u.session()).append('\t').append(u.label())
                    .append('\t').append(u.transcript()).append('\t').append("wav/").append(u.id()).append(".wav\n");
        }
        return Files.writeString(dir.resolve("manifest.tsv"), tsv);
    }
}

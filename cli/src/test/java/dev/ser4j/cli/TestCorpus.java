package dev.ser4j.cli;

import dev.ser4j.audio.Wav;
import dev.ser4j.synth.Emotion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A small generated emotional corpus for end-to-end tests, learnable in seconds: the voice carries arousal (pitch
 * and loudness high for angry/happy, low for sad/neutral) and the words name the class half of the time. Written as
 * a manifest, or as an IEMOCAP release tree in the real file syntax.
 */
final class TestCorpus {
    private TestCorpus() {}

    record Utt(String id, String speaker, String session, Emotion label, String transcript, float[] samples) {}

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
                    Emotion e = Emotion.values()[i % 4];
                    boolean aroused = e == Emotion.ANGRY || e == Emotion.HAPPY;
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
                    if (rng.nextBoolean()) text.append(", ").append(WORDS[e.ordinal()][rng.nextInt(3)]);
                    text.append(i % 3 == 0 ? "!" : ".");
                    String session = String.format(Locale.ROOT, "Ses%02d", s);
                    String id = String.format(Locale.ROOT, "%sF_impro01_%s%03d", session, g, i);
                    out.add(new Utt(id, session + g, session, e, text.toString(), x));
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
            tsv.append(u.id()).append('\t').append(u.speaker()).append('\t').append(u.session()).append('\t').append(u.label().id())
                    .append('\t').append(u.transcript()).append('\t').append("wav/").append(u.id()).append(".wav\n");
        }
        return Files.writeString(dir.resolve("manifest.tsv"), tsv);
    }

    /** Writes the utterances as an IEMOCAP release tree (one improvised dialog per session). */
    static Path iemocap(Path root, List<Utt> utts) throws IOException {
        String[] code = {"ang", "hap", "sad", "neu"};
        for (int s = 1; s <= 5; s++) {
            String session = String.format(Locale.ROOT, "Ses%02d", s), dialog = session + "F_impro01";
            Path base = root.resolve("Session" + s);
            StringBuilder emo = new StringBuilder("% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]\n\n");
            StringBuilder trans = new StringBuilder();
            double t = 1.0;
            int k = 0;
            for (Utt u : utts) {
                if (!u.session().equals(session)) continue;
                Path wav = base.resolve("sentences/wav").resolve(dialog).resolve(u.id() + ".wav");
                Files.createDirectories(wav.getParent());
                Wav.writePcm16(wav, u.samples(), 16000);
                double end = t + u.samples().length / 16000.0;
                // every fifth happy turn is labelled 'exc', which IEMOCAP's 4-class setup merges into happy
                String label = u.label() == Emotion.HAPPY && k++ % 5 == 0 ? "exc" : code[u.label().ordinal()];
                emo.append(String.format(Locale.ROOT, "[%.4f - %.4f]\t%s\t%s\t[2.5000, 3.0000, 3.0000]%n", t, end, u.id(), label));
                emo.append("C-E1:\tNeutral;\t()\nA-E1:\tval 3; act 2; dom  2;\t()\n\n");
                trans.append(String.format(Locale.ROOT, "%s [%08.4f-%08.4f]: %s%n", u.id(), t, end, u.transcript()));
                t = end + 0.5;
            }
            Files.createDirectories(base.resolve("dialog/EmoEvaluation"));
            Files.createDirectories(base.resolve("dialog/transcriptions"));
            Files.writeString(base.resolve("dialog/EmoEvaluation").resolve(dialog + ".txt"), emo);
            Files.writeString(base.resolve("dialog/transcriptions").resolve(dialog + ".txt"), trans);
        }
        return root;
    }
}

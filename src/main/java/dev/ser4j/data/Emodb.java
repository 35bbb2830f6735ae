package dev.ser4j.data;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Berlin Database of Emotional Speech (Burkhardt et al. 2005, EmoDB) in its release layout ({@code emodb:DIR}):
 * {@code DIR/wav/SSTTTEv.wav}, or the WAVs directly in {@code DIR} when it has no {@code wav} folder (16 kHz mono).
 * The fields: SS the speaker ({@code 03}, {@code 08} to {@code 16}; five women, five men); TTT the text
 * ({@code a01}..{@code a07} short, {@code b01}..{@code b10} long sentences; ten of them are used); E the emotion, by
 * its German initial: {@code W} (Wut) angry, {@code L} (Langeweile) boredom, {@code E} (Ekel) disgust, {@code A}
 * (Angst) fearful, {@code F} (Freude) happy, {@code T} (Trauer) sad, {@code N} neutral; v the version ({@code a},
 * {@code b}, ...). A WAV file not named so, or with a code outside these, is reported and skipped (fatal with
 * {@code --strict}); other files (the release's {@code labsilb}, {@code silb} ... folders are not looked into) are
 * ignored.
 *
 * <p>The speaker and the session are SS ({@code 03}). The transcript is empty: the texts are German, and the
 * vocabulary of ser4j's text branch (and of the GloVe vectors it starts from) is English, so a text model needs
 * {@code --asr-transcripts} from a German system and German word vectors. The full corpus has 535 utterances: angry
 * 127, boredom 81, disgust 46, fearful 69, happy 71, sad 62, neutral 79 (the paper's four classes: 339).
 *
 * <p>EmoBox's folds for EmoDB are utterance-level, every speaker in every fold, so {@code --folds emobox} is refused
 * ({@link Dataset#emoboxNone()}); {@code --folds speaker} tests each speaker once.
 */
public final class Emodb {
    private Emodb() {}

    static final Pattern FILE = Pattern.compile("(\\d\\d)([ab])(\\d\\d)([A-Z])([a-z])\\.(?i:wav)");
    static final String PATTERN = "SSTTTEv.wav (e.g. 03a01Wa.wav)";
    static final Set<String> SPEAKERS = Set.of("03", "08", "09", "10", "11", "12", "13", "14", "15", "16");
    static final Map<String, String> EMOTIONS = Map.of("W", "angry", "L", "boredom", "E", "disgust", "A", "fearful",
            "F", "happy", "T", "sad", "N", "neutral");
    static final String NO_EMOBOX = "EmoBox's folds for EmoDB are utterance-level (every speaker in every fold), not speaker-independent";

    /** Reads {@code DIR/wav} (or {@code DIR}); a WAV file not named like EmoDB's is reported and skipped. */
    public static Dataset read(Path root, String name, DatasetOptions options) {
        return NamedWavs.read(root, name, options, "wav", "EmoDB", FILE, PATTERN,
                "has a code outside EmoDB's (speaker 03, 08-16, text a01-a07 or b01-b10, emotion W L E A F T N)", (m, wav) -> {
            int text = Integer.parseInt(m.group(3));
            String emotion = EMOTIONS.get(m.group(4));
            if (!SPEAKERS.contains(m.group(1)) || text < 1 || text > (m.group(2).equals("a") ? 7 : 10) || emotion == null) return null;
            return new Utterance(Folders.stem(wav), m.group(1), m.group(1), wav, "", emotion);
        }).withoutEmobox(NO_EMOBOX);
    }
}

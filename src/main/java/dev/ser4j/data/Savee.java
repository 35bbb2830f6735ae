package dev.ser4j.data;

import dev.ser4j.core.InputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Surrey Audio-Visual Expressed Emotion database (Haq and Jackson 2009, SAVEE) in its release layout
 * ({@code savee:DIR}): {@code DIR/AudioData/<speaker>/<e><nn>.wav}, or {@code DIR/<speaker>/<e><nn>.wav} when it
 * has no {@code AudioData} folder; the speakers are {@code DC}, {@code JE}, {@code JK} and {@code KL}, four male
 * British English speakers (44.1 kHz). The file name's letters are the emotion: {@code a} angry, {@code d} disgust,
 * {@code f} fearful, {@code h} happy, {@code n} neutral, {@code sa} sad, {@code su} surprised (two letters, so
 * {@code sa01} is not {@code s} + {@code a01}); nn numbers the sentence within the emotion. A WAV file not named so
 * is reported and skipped (fatal with {@code --strict}); other files and folders are ignored.
 *
 * <p>The speaker and the session are the folder ({@code DC}); an utterance's id is the speaker and the file name,
 * {@code DC_a01}. There is no transcript: the sentences are TIMIT's, but which sentence each file speaks is not part
 * of the release layout, so the transcripts are empty. The full corpus has 480 utterances, 120 per speaker: 60 per
 * emotion and 120 neutral (the paper's four classes: 300).
 *
 * <p>EmoBox's four folds leave one speaker out (fold 1 tests JE, 2 KL, 3 DC, 4 JK): the {@link #EMOBOX} plan; a
 * fold's dev speaker is the next fold's.
 */
public final class Savee {
    private Savee() {}

    static final Pattern SPEAKER_DIR = Pattern.compile("DC|JE|JK|KL");
    static final Pattern FILE = Pattern.compile("(a|d|f|h|n|sa|su)(\\d\\d)\\.(?i:wav)");
    static final String PATTERN = "<e><nn>.wav with e one of a d f h n sa su (e.g. sa01.wav)";
    static final Map<String, String> EMOTIONS = Map.of("a", "angry", "d", "disgust", "f", "fearful", "h", "happy", "n", "neutral",
            "sa", "sad", "su", "surprised");

    /** EmoBox's test speaker per fold (data/savee/fold_K): 1 JE, 2 KL, 3 DC, 4 JK. */
    public static final FoldPlan EMOBOX = emobox();

    private static FoldPlan emobox() {
        Map<String, String> folds = new LinkedHashMap<>();
        String[] test = {"JE", "KL", "DC", "JK"};
        for (int f = 0; f < test.length; f++) folds.put(test[f], Integer.toString(f + 1));
        return new FoldPlan("EmoBox savee (4 folds, one test speaker each)", folds);
    }

    /** Reads the speaker folders of {@code DIR/AudioData} (or {@code DIR}); a WAV file not named like SAVEE's is reported and skipped. */
    public static Dataset read(Path root, String name, DatasetOptions options) {
        Path dir = Folders.within(root, "AudioData");
        List<Path> speakers = Folders.list(dir, p -> Files.isDirectory(p) && SPEAKER_DIR.matcher(p.getFileName().toString()).matches());
        if (speakers.isEmpty())
            throw new InputException(name, dir + " has no DC, JE, JK or KL folders; expected SAVEE's AudioData/<speaker>/" + PATTERN);
        ReaderLog report = new ReaderLog(options.strict());
        List<Utterance> utterances = new ArrayList<>();
        Map<String, Path> ids = new HashMap<>();
        for (Path folder : speakers) {
            String speaker = folder.getFileName().toString();
            for (Path wav : Folders.list(folder, Folders::isWav)) {
                Matcher m = FILE.matcher(wav.getFileName().toString());
                if (!m.matches()) {
                    report.skip(wav.toString(), "is not named like SAVEE's " + PATTERN);
                    continue;
                }
                String id = speaker + "_" + Folders.stem(wav);
                Path prior = ids.putIfAbsent(id, wav);
                if (prior != null) {
                    report.skip(wav.toString(), "repeats the utterance id " + id + " of " + prior);
                    continue;
                }
                utterances.add(new Utterance(id, speaker, speaker, wav, "", EMOTIONS.get(m.group(1))));
            }
        }
        return new Dataset(name, utterances, report.skipped, report.warnings, new TreeMap<>()).withEmobox(EMOBOX);
    }
}

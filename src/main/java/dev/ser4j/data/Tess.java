package dev.ser4j.data;

import dev.ser4j.core.InputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Toronto emotional speech set (Dupuis and Pichora-Fuller 2010, TESS) in its release layout ({@code tess:DIR}):
 * folders {@code OAF_<emotion>/} and {@code YAF_<emotion>/} holding {@code OAF_<word>_<emotion>.wav} and
 * {@code YAF_<word>_<emotion>.wav}, or those WAVs directly in {@code DIR}. Real copies vary the case of folder and
 * file names ({@code OAF_Fear}, {@code YAF_pleasant_surprised}, {@code OAF_back_Fear.wav}), so names are matched
 * without regard to case; the folder's emotion is not read, the file's last part is the label: {@code angry},
 * {@code disgust}, {@code fear} fearful, {@code happy}, {@code neutral}, {@code ps} (pleasant surprise) surprised,
 * {@code sad}. A WAV file not named so, or in the other speaker's folder, is reported and skipped (fatal with
 * {@code --strict}); other files and folders are ignored.
 *
 * <p>The speaker and the session are {@code OAF} (the older actress, 64) or {@code YAF} (the younger, 26). The
 * transcript is the carrier phrase with the word of the file name, {@code "Say the word back."}: the same 200 words
 * in every emotion, so the text branch is a control. The full set has 2800 files, 400 per emotion (200 words, two
 * speakers; the paper's four classes: 1600).
 *
 * <p>EmoBox's folds for TESS are utterance-level, both speakers in every fold, so {@code --folds emobox} is refused
 * ({@link Dataset#emoboxNone()}); with two speakers TESS has no speaker-independent cross-validation of its own
 * ({@code --folds speaker} needs three): train on it and evaluate on another corpus, or use {@code --folds FILE}.
 */
public final class Tess {
    private Tess() {}

    static final Pattern SPEAKER_DIR = Pattern.compile("(?i)(OAF|YAF)_.+");
    static final Pattern FILE = Pattern.compile("(?i)(OAF|YAF)_([a-z]+)_([a-z]+)\\.wav");
    static final String PATTERN = "OAF_<word>_<emotion>.wav or YAF_<word>_<emotion>.wav";
    static final Map<String, String> EMOTIONS = Map.of("angry", "angry", "disgust", "disgust", "fear", "fearful", "happy", "happy",
            "neutral", "neutral", "ps", "surprised", "sad", "sad");
    static final String NO_EMOBOX = "EmoBox's folds for TESS are utterance-level (every speaker in every fold), not speaker-independent";

    /** Reads the OAF_ and YAF_ folders of {@code DIR} and the WAVs in it; a WAV file not named like TESS's is reported and skipped. */
    public static Dataset read(Path root, String name, DatasetOptions options) {
        List<Path> entries = Folders.list(root, p -> Folders.isWav(p)
                || Files.isDirectory(p) && SPEAKER_DIR.matcher(p.getFileName().toString()).matches());
        if (entries.isEmpty())
            throw new InputException(name, root + " has no OAF_<emotion> or YAF_<emotion> folders and no WAV files; expected TESS's "
                    + "OAF_<emotion>/" + PATTERN.replace(" or ", " and YAF_<emotion>/"));
        ReaderLog report = new ReaderLog(options.strict());
        List<Utterance> utterances = new ArrayList<>();
        Map<String, Path> ids = new HashMap<>();
        for (Path entry : entries) {
            String folderSpeaker = null;
            List<Path> wavs = List.of(entry);
            if (Files.isDirectory(entry)) {
                Matcher d = SPEAKER_DIR.matcher(entry.getFileName().toString());
                folderSpeaker = d.matches() ? d.group(1).toUpperCase(Locale.ROOT) : null;
                wavs = Folders.list(entry, Folders::isWav);
            }
            for (Path wav : wavs) {
                Matcher m = FILE.matcher(wav.getFileName().toString());
                if (!m.matches()) {
                    report.skip(wav.toString(), "is not named like TESS's " + PATTERN);
                    continue;
                }
                String speaker = m.group(1).toUpperCase(Locale.ROOT), word = m.group(2).toLowerCase(Locale.ROOT);
                String emotion = EMOTIONS.get(m.group(3).toLowerCase(Locale.ROOT));
                if (emotion == null) {
                    report.skip(wav.toString(), "has the emotion '" + m.group(3) + "', not one of TESS's angry disgust fear happy neutral ps sad");
                    continue;
                }
                if (folderSpeaker != null && !speaker.equals(folderSpeaker)) {
                    report.skip(wav.toString(), "names speaker " + speaker + " but is in " + entry.getFileName());
                    continue;
                }
                Path prior = ids.putIfAbsent(Folders.stem(wav), wav);
                if (prior != null) {
                    report.skip(wav.toString(), "repeats the utterance id of " + prior);
                    continue;
                }
                utterances.add(new Utterance(Folders.stem(wav), speaker, speaker, wav, "Say the word " + word + ".", emotion));
            }
        }
        return new Dataset(name, utterances, report.skipped, report.warnings, new TreeMap<>()).withoutEmobox(NO_EMOBOX);
    }
}

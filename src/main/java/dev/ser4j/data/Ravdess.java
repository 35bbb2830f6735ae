package dev.ser4j.data;

import dev.ser4j.core.InputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RAVDESS speech set in its official layout ({@code ravdess:DIR}): {@code DIR/Actor_01 .. Actor_24}, each holding
 * {@code 03-01-EE-II-SS-RR-AA.wav} (Livingstone and Russo 2018; 48 kHz, a few files stereo, downmixed when read).
 * The fields: 03 audio only, 01 speech (02, song, is left out), EE the emotion (01 neutral, 02 calm, 03 happy, 04 sad,
 * 05 angry, 06 fearful, 07 disgust, 08 surprised), II intensity (01 normal, 02 strong), SS the statement (01 "Kids are
 * talking by the door", 02 "Dogs are sitting by the door": the transcript), RR the repetition, AA the actor (odd male,
 * even female). The speaker and the session are the actor ({@code Actor_01}). In the paper's four classes RAVDESS has
 * angry 192, happy 192, sad 192, neutral 96; {@code --classes} takes calm, fearful, disgust and surprised too.
 *
 * <p>EmoBox's six speaker-independent folds (Ma et al., Interspeech 2024) test four actors each; they are the
 * {@link #EMOBOX} plan. The text is the same two sentences for every emotion, so on RAVDESS a text branch is a
 * control, not a source of information.
 */
public final class Ravdess {
    private Ravdess() {}

    static final Pattern FILE = Pattern.compile("(\\d\\d)-(\\d\\d)-(\\d\\d)-(\\d\\d)-(\\d\\d)-(\\d\\d)-(\\d\\d)\\.wav");
    static final Pattern ACTOR_DIR = Pattern.compile("Actor_(\\d\\d)");
    static final String[] EMOTIONS = {"neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"};
    static final String[] STATEMENTS = {"Kids are talking by the door.", "Dogs are sitting by the door."};

    /** EmoBox's test actors per fold (data/ravdess/fold_K): 1: 01 11 20 21, 2: 04 10 12 14, ... */
    public static final FoldPlan EMOBOX = emobox();

    private static FoldPlan emobox() {
        int[][] test = {{1, 11, 20, 21}, {4, 10, 12, 14}, {8, 9, 19, 23}, {3, 5, 7, 24}, {2, 15, 16, 18}, {6, 13, 17, 22}};
        Map<String, String> folds = new LinkedHashMap<>();
        for (int f = 0; f < test.length; f++) for (int a : test[f]) folds.put(actor(a), Integer.toString(f + 1));
        return new FoldPlan("EmoBox ravdess (6 folds of 4 test actors)", folds);
    }

    static String actor(int n) {
        return String.format("Actor_%02d", n);
    }

    /** Reads {@code DIR}'s actor folders; a file whose name is not the RAVDESS pattern is reported and skipped. */
    public static Dataset read(Path root, String name, DatasetOptions options) {
        ReaderLog report = new ReaderLog(options.strict());
        List<Utterance> utterances = new ArrayList<>();
        Map<String, Integer> unused = new TreeMap<>();
        List<Path> actors = Folders.list(root, p -> Files.isDirectory(p) && ACTOR_DIR.matcher(p.getFileName().toString()).matches());
        if (actors.isEmpty())
            throw new InputException(name, root + " has no Actor_01 .. Actor_24 folders; is it RAVDESS's Audio_Speech_Actors_01-24?");
        for (Path dir : actors) {
            int actor = Integer.parseInt(ACTOR_DIR.matcher(dir.getFileName().toString()).replaceAll("$1"));
            for (Path wav : Folders.list(dir, Files::isRegularFile)) {
                String file = wav.getFileName().toString();
                Matcher m = FILE.matcher(file);
                if (!m.matches()) {
                    if (file.toLowerCase(java.util.Locale.ROOT).endsWith(".wav"))
                        report.skip(wav.toString(), "is not named like RAVDESS's 03-01-EE-II-SS-RR-AA.wav");
                    continue;
                }
                int modality = Integer.parseInt(m.group(1)), channel = Integer.parseInt(m.group(2)), emotion = Integer.parseInt(m.group(3)),
                        statement = Integer.parseInt(m.group(5)), fileActor = Integer.parseInt(m.group(7));
                if (modality != 3 || channel != 1) {
                    unused.merge(channel == 2 ? "song" : "modality " + m.group(1), 1, Integer::sum);
                    continue;
                }
                if (emotion < 1 || emotion > EMOTIONS.length || statement < 1 || statement > 2) {
                    report.skip(wav.toString(), "has emotion " + m.group(3) + " or statement " + m.group(5) + ", outside RAVDESS's codes");
                    continue;
                }
                if (fileActor != actor) {
                    report.skip(wav.toString(), "names actor " + m.group(7) + " but is in " + dir.getFileName());
                    continue;
                }
                String speaker = actor(actor);
                utterances.add(new Utterance(file.substring(0, file.length() - 4), speaker, speaker, wav, STATEMENTS[statement - 1],
                        EMOTIONS[emotion - 1]));
            }
        }
        return new Dataset(name, utterances, report.skipped, report.warnings, unused).withEmobox(EMOBOX);
    }
}

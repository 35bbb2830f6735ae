package dev.ser4j.data;

import dev.ser4j.core.InputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Multimodal EmotionLines Dataset (Poria et al. 2019, MELD: dialogues from the TV series Friends) in its release
 * layout ({@code meld:DIR}): the label files {@code DIR/train_sent_emo.csv}, {@code dev_sent_emo.csv} and
 * {@code test_sent_emo.csv}, CSV with a header (RFC 4180: quoted fields hold commas and doubled quotes; read as
 * UTF-8, so the Windows-1252 quotes of some copies become U+FFFD). Columns are found by name, any order and case;
 * those read are {@code Utterance} (the transcript), {@code Speaker}, {@code Emotion}, {@code Dialogue_ID} and
 * {@code Utterance_ID} ({@code Sr No.}, {@code Sentiment}, {@code Season}, ... are ignored). A missing split file is
 * a warning; a header without those columns, or a quote never closed, is an {@link InputException}; a row with the
 * wrong number of fields, a non-numeric id, an emotion outside MELD's or a repeated id is reported and skipped (fatal
 * with {@code --strict}).
 *
 * <p><b>Labels.</b> {@code anger} angry, {@code disgust}, {@code fear} fearful, {@code joy} happy, {@code neutral},
 * {@code sadness} sad, {@code surprise} surprised (the {@code Sentiment} column is not read).
 *
 * <p><b>Audio.</b> MELD ships MP4 video ({@code MELD.Raw}), not audio: extract a 16 kHz mono WAV per clip, named as
 * the clip, e.g. {@code ffmpeg -i dia0_utt0.mp4 -ar 16000 -ac 1 dia0_utt0.wav}. The WAV of row
 * {@code Dialogue_ID} D, {@code Utterance_ID} U of split S is {@code dia<D>_utt<U>.wav} in the first of these
 * folders that holds it: {@code DIR/S_wav/}, {@code DIR/S/}, {@code DIR/wav/S/}, or beside the MP4s in the release's
 * video folder ({@code DIR/train_splits/}, {@code DIR/dev_splits_complete/}, {@code DIR/output_repeated_splits_test/}).
 * A row without its WAV cannot be an utterance: it is counted in {@link Dataset#unused()} as {@code no audio}, and a
 * split with none of those folders is a warning.
 *
 * <p><b>Ids, speakers, sessions.</b> An utterance's id is {@code S-dia<D>_utt<U>} ({@code train-dia0_utt0}: the
 * splits number their dialogues independently); its speaker is the {@code Speaker} column ({@code unknown} when
 * empty), its session the split ({@code train}, {@code dev}, {@code test}).
 *
 * <p><b>Counts</b> (EmoBox's metadata of the release, which leaves out 2 of the MELD paper's 13,708): 13,706
 * utterances (train 9,988, dev 1,108, test 2,610): neutral 6,434, happy (joy) 2,308, surprised 1,636, angry 1,607,
 * sad 1,002, disgust 361, fearful 358 (the paper's four classes: 11,351). MELD is naturalistic and its text carries the emotion, unlike the acted corpora.
 *
 * <p><b>Folds.</b> EmoBox uses the official split as one fold (train, dev for the epoch, test): the {@link #EMOBOX}
 * plan. The six friends speak in every split, so it is not speaker-independent; it is the split every MELD result is
 * reported on.
 */
public final class Meld {
    private Meld() {}

    /** The splits, in the order they are read; each is a session. */
    public static final List<String> SPLITS = List.of("train", "dev", "test");
    /** MELD's emotion words as class names. */
    static final Map<String, String> EMOTIONS = Map.of("anger", "angry", "disgust", "disgust", "fear", "fearful", "joy", "happy",
            "neutral", "neutral", "sadness", "sad", "surprise", "surprised");
    private static final List<String> COLUMNS = List.of("utterance", "speaker", "emotion", "dialogue_id", "utterance_id");
    private static final List<String> HEADER = List.of("Utterance", "Speaker", "Emotion", "Dialogue_ID", "Utterance_ID");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");

    /** EmoBox's MELD fold: the official split (train trains, dev chooses the epoch, test is tested). */
    public static final FoldPlan EMOBOX = emobox();

    private static FoldPlan emobox() {
        Map<String, String> folds = new LinkedHashMap<>();
        folds.put("train", FoldPlan.TRAIN);
        folds.put("dev", FoldPlan.DEV);
        folds.put("test", "test");
        return new FoldPlan("EmoBox meld (the official train/dev/test split)", folds);
    }

    /**
     * One row of a split's CSV as read.
     *
     * @param where     {@code file:line}
     * @param split     {@code train}, {@code dev} or {@code test}
     * @param dialogue  {@code Dialogue_ID}
     * @param utterance {@code Utterance_ID}
     * @param speaker   the {@code Speaker} column, {@code unknown} when empty
     * @param emotion   MELD's emotion word, lowercase ({@code joy}, ...)
     * @param text      the {@code Utterance} column, stripped
     */
    public record Row(String where, String split, int dialogue, int utterance, String speaker, String emotion, String text) {
        /** The clip's name, {@code dia0_utt0}: MELD's file name without extension. */
        public String clip() { return "dia" + dialogue + "_utt" + utterance; }

        /** The utterance id, unique across splits: {@code train-dia0_utt0}. */
        public String id() { return split + "-" + clip(); }

        /** The class name of the emotion ({@code joy} is {@code happy}). */
        public String label() { return EMOTIONS.get(emotion); }
    }

    /**
     * The rows of one split's CSV bytes, read as {@link #read} reads the file: a malformed row is left out, or with
     * {@code strict} is an {@link InputException} naming {@code source:line}.
     */
    public static List<Row> parse(String source, String split, byte[] file, boolean strict) {
        return parse(source, split, TextFiles.text(file), new ReaderLog(strict));
    }

    /** The rows of one split's CSV text; malformed rows reported through {@code report}. Pure. */
    static List<Row> parse(String source, String split, String text, ReaderLog report) {
        List<Csv.Row> table = Csv.parse(source, text);
        if (table.isEmpty()) throw new InputException(source, "is empty; expected MELD's header naming " + String.join(", ", HEADER));
        Csv.Row header = table.getFirst();
        int[] col = new int[COLUMNS.size()];
        java.util.Arrays.fill(col, -1);
        for (int i = 0; i < header.fields().size(); i++) {
            int k = COLUMNS.indexOf(header.fields().get(i).strip().toLowerCase(Locale.ROOT));
            if (k >= 0 && col[k] < 0) col[k] = i;
        }
        for (int k = 0; k < col.length; k++)
            if (col[k] < 0)
                throw new InputException(source + ":" + header.line(), "has no '" + HEADER.get(k) + "' column; MELD's header names "
                        + String.join(", ", HEADER) + " (and Sr No., Sentiment, ...)");
        int width = header.fields().size();
        List<Row> rows = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Csv.Row r : table.subList(1, table.size())) {
            String where = source + ":" + r.line();
            List<String> f = r.fields();
            if (f.size() != width) {
                report.skip(where, "has " + f.size() + " fields; the header has " + width);
                continue;
            }
            String dialogue = f.get(col[3]).strip(), utterance = f.get(col[4]).strip();
            if (!NUMBER.matcher(dialogue).matches() || !NUMBER.matcher(utterance).matches()) {
                report.skip(where, "has Dialogue_ID '" + dialogue + "' and Utterance_ID '" + utterance + "'; both must be numbers");
                continue;
            }
            String emotion = f.get(col[2]).strip().toLowerCase(Locale.ROOT);
            if (!EMOTIONS.containsKey(emotion)) {
                report.skip(where, "has the emotion '" + f.get(col[2]).strip() + "'; expected one of anger disgust fear joy neutral sadness surprise");
                continue;
            }
            String speaker = f.get(col[1]).strip();
            Row row = new Row(where, split, Integer.parseInt(dialogue), Integer.parseInt(utterance), speaker.isEmpty() ? "unknown" : speaker,
                    emotion, f.get(col[0]).strip());
            String prior = seen.putIfAbsent(row.clip(), where);
            if (prior != null) {
                report.skip(where, "repeats " + row.clip() + " of " + prior);
                continue;
            }
            rows.add(row);
        }
        return rows;
    }

    /** The folders searched for a split's WAVs, in order (see the class comment). */
    static List<Path> audioFolders(Path root, String split) {
        String video = switch (split) {
            case "train" -> "train_splits";
            case "dev" -> "dev_splits_complete";
            default -> "output_repeated_splits_test";
        };
        return List.of(root.resolve(split + "_wav"), root.resolve(split), root.resolve("wav").resolve(split), root.resolve(video));
    }

    /** Reads the three splits under {@code root}; a folder with none of their CSVs is a single clear {@link InputException}. */
    public static Dataset read(Path root, String name, DatasetOptions options) {
        if (SPLITS.stream().noneMatch(s -> Files.isRegularFile(root.resolve(s + "_sent_emo.csv"))))
            throw new InputException(name, root + " has no train_sent_emo.csv, dev_sent_emo.csv or test_sent_emo.csv; expected MELD's "
                    + "label files (MELD.Raw), with WAVs extracted from its MP4s");
        ReaderLog report = new ReaderLog(options.strict());
        List<Utterance> utterances = new ArrayList<>();
        Map<String, Integer> unused = new TreeMap<>();
        for (String split : SPLITS) {
            Path csv = root.resolve(split + "_sent_emo.csv");
            if (!Files.isRegularFile(csv)) {
                report.warn(csv.toString(), "is missing, so MELD's " + split + " split is not read");
                continue;
            }
            List<Path> all = audioFolders(root, split);
            List<Path> folders = all.stream().filter(Files::isDirectory).toList();
            int before = utterances.size(), noAudio = 0;
            for (Row r : parse(csv.toString(), split, TextFiles.read(csv), report)) {
                Path wav = null;
                for (Path folder : folders) {
                    Path p = folder.resolve(r.clip() + ".wav");
                    if (Files.isRegularFile(p)) {
                        wav = p;
                        break;
                    }
                }
                if (wav == null) {
                    noAudio++;
                    continue;
                }
                utterances.add(new Utterance(r.id(), r.speaker(), split, wav, r.text(), r.label()));
            }
            if (noAudio > 0) unused.merge("no audio", noAudio, Integer::sum);
            if (folders.isEmpty())
                report.warn(csv.toString(), "has no audio folder (looked for " + String.join(", ", all.stream().map(Path::toString).toList())
                        + "); its " + noAudio + " rows are counted as 'no audio'");
            else if (utterances.size() == before && noAudio > 0)
                report.warn(csv.toString(), "has no row whose dia<D>_utt<U>.wav is in " + String.join(" or ", folders.stream().map(Path::toString).toList())
                        + "; extract WAVs from MELD's MP4s");
        }
        return new Dataset(name, utterances, report.skipped, report.warnings, unused).withEmobox(EMOBOX);
    }
}

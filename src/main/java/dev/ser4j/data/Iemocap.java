package dev.ser4j.data;

import dev.ser4j.core.InputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IEMOCAP release (USC SAIL, {@code IEMOCAP_full_release}) in its official layout:
 * <pre>
 * SessionN/dialog/EmoEvaluation/&lt;dialog&gt;.txt        labels, one summary line per turn
 * SessionN/dialog/transcriptions/&lt;dialog&gt;.txt       transcripts
 * SessionN/sentences/wav/&lt;dialog&gt;/&lt;utterance&gt;.wav   audio
 * </pre>
 * <b>Labels.</b> A summary line is {@code [6.2901 - 8.2357]<TAB>Ses01F_impro01_F000<TAB>neu<TAB>[2.5000, 2.5000, 2.5000]};
 * its label is the consensus of the evaluators: {@code ang} angry, {@code hap} and {@code exc} happy (merged, as
 * in the paper), {@code sad}, {@code neu} neutral, {@code fru} frustrated, {@code sur} surprised, {@code fea}
 * fearful, {@code dis} disgust; turns labelled {@code oth} or {@code xxx} (no agreement) are not used and are
 * counted in {@link Dataset#unused()}, as the classes outside {@code --classes} are later. The evaluators' lines
 * ({@code C-E1:}, {@code A-E1:}), the header and blank lines are skipped silently; a line that starts with
 * {@code [} but is not a valid summary line is reported as skipped (fatal with {@code --strict}). On the full
 * release the paper's four classes are ang 1103, hap+exc 1636 (595 + 1041), sad 1084, neu 1708: 5531 utterances.
 *
 * <p><b>Speakers.</b> The gender letter of the utterance id's last part names the speaker: in
 * {@code Ses01F_impro01_M000} the male actor of session 1 speaks, so speaker {@code Ses01M}, session {@code Ses01}.
 *
 * <p><b>Transcripts.</b> Lines {@code Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me.}; lines without a
 * proper utterance id ({@code M: ...}, {@code Ses01F_impro01_MXX0 ...}) are skipped. An utterance without a
 * transcript gets an empty one and a warning; one without its WAV file is skipped and reported.
 *
 * <p><b>Folds.</b> EmoBox's five folds leave one session out (fold k tests Session k): the {@link #EMOBOX} plan; a
 * fold's dev speaker is one of the next session's two.
 */
public final class Iemocap {
    private Iemocap() {}

    /** {@code Ses01F_impro01_M000}: group 1 the session, group 2 the speaking actor's gender. */
    static final Pattern UTTERANCE_ID = Pattern.compile("(Ses\\d\\d)[MF]_(?:[A-Za-z0-9_]+)_([MF])\\d{3}");
    private static final Pattern SUMMARY = Pattern.compile(
            "\\[\\s*\\d+(?:\\.\\d+)?\\s*-\\s*\\d+(?:\\.\\d+)?\\s*]\\s+(\\S+)\\s+(\\S+)\\s+\\[[^\\]]*]\\s*");
    private static final Pattern TRANSCRIPT = Pattern.compile("(\\S+) \\[\\s*\\d+(?:\\.\\d+)?\\s*-\\s*\\d+(?:\\.\\d+)?\\s*]:\\s?(.*)");
    private static final Pattern SESSION_DIR = Pattern.compile("Session\\d+");
    /** The consensus codes as class names; {@code exc} is merged into happy (the paper's four classes). */
    private static final Map<String, String> CLASSES = Map.of("ang", "angry", "hap", "happy", "exc", "happy", "sad", "sad",
            "neu", "neutral", "fru", "frustrated", "sur", "surprised", "fea", "fearful", "dis", "disgust");
    /** Codes that are no class: no agreement ({@code xxx}) and other ({@code oth}). */
    private static final Set<String> UNUSED = Set.of("oth", "xxx");

    /** EmoBox's folds (data/iemocap/fold_K): fold k tests session k ({@code Ses01} is fold 1). */
    public static final FoldPlan EMOBOX = emobox();

    private static FoldPlan emobox() {
        Map<String, String> folds = new java.util.LinkedHashMap<>();
        for (int k = 1; k <= 5; k++) folds.put(String.format("Ses%02d", k), Integer.toString(k));
        return new FoldPlan("EmoBox iemocap (5 folds, one test session each)", folds);
    }

    /**
     * One summary line: the utterance, its consensus code ({@code neu}, {@code exc}, ...), where it was, and
     * from the id the session ({@code Ses01}) and the speaker ({@code Ses01M}).
     */
    public record Label(String id, String code, String where, String session, String speaker) {
        /** The dialog folder of the utterance's WAV: the id without its last part. */
        public String dialog() { return id.substring(0, id.lastIndexOf('_')); }
    }

    /**
     * The summary lines of one EmoEvaluation file; a line starting with {@code [} that is not one is reported
     * through {@code report} as {@code source:line}. Pure: the lines are given.
     */
    static List<Label> parseEmoEvaluation(String source, List<String> lines, ReaderLog report) {
        List<Label> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("[")) continue;
            String where = source + ":" + (i + 1);
            Matcher m = SUMMARY.matcher(line);
            if (!m.matches()) {
                report.skip(where, "is not a summary line '[start - end]<TAB>utterance<TAB>label<TAB>[v, a, d]'");
                continue;
            }
            String id = m.group(1), code = m.group(2);
            Matcher idm = UTTERANCE_ID.matcher(id);
            if (!idm.matches()) {
                report.skip(where, "has '" + id + "', which is not an IEMOCAP utterance id like Ses01F_impro01_F000");
                continue;
            }
            if (!CLASSES.containsKey(code) && !UNUSED.contains(code)) {
                report.skip(where, "has the label '" + code + "'; expected one of ang hap exc sad neu fru sur fea dis oth xxx");
                continue;
            }
            out.add(new Label(id, code, where, idm.group(1), idm.group(1) + idm.group(2)));
        }
        return out;
    }

    /**
     * The summary lines of one EmoEvaluation file's bytes, read as {@link #read} reads the file: a line starting with
     * {@code [} that is not one is left out, or with {@code strict} is an {@link InputException} naming {@code source:line}.
     */
    public static List<Label> parseEmoEvaluation(String source, byte[] file, boolean strict) {
        return parseEmoEvaluation(source, TextFiles.lines(file), new ReaderLog(strict));
    }

    /** Utterance id → transcript from one transcription file's bytes, read as {@link #read} reads the file. */
    public static Map<String, String> parseTranscriptions(byte[] file) {
        return parseTranscriptions(TextFiles.lines(file));
    }

    /** Utterance id → transcript from one transcription file; lines without a proper utterance id are skipped. Pure. */
    static Map<String, String> parseTranscriptions(List<String> lines) {
        Map<String, String> out = new HashMap<>();
        for (String line : lines) {
            Matcher m = TRANSCRIPT.matcher(line.strip());
            if (m.matches() && UTTERANCE_ID.matcher(m.group(1)).matches()) out.putIfAbsent(m.group(1), m.group(2).strip());
        }
        return out;
    }

    /** Reads the release under {@code root}; a folder that is not one is a single clear {@link InputException}. */
    public static Dataset read(Path root, String name, DatasetOptions options) {
        List<Path> sessions = sessions(root);
        ReaderLog report = new ReaderLog(options.strict());
        for (int n = 1; n <= 5; n++)
            if (!sessions.contains(root.resolve("Session" + n)))
                report.warn(root.resolve("Session" + n).toString(), "is missing or has no dialog/EmoEvaluation folder");
        List<Utterance> utterances = new ArrayList<>();
        Map<String, Integer> unused = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (Path session : sessions) {
            for (Path labelFile : textFiles(session.resolve("dialog/EmoEvaluation"))) {
                String dialog = labelFile.getFileName().toString().replaceFirst("\\.txt$", "");
                Path transcriptFile = session.resolve("dialog/transcriptions/" + dialog + ".txt");
                Map<String, String> transcripts = Files.isRegularFile(transcriptFile)
                        ? parseTranscriptions(TextFiles.lines(transcriptFile)) : Map.of();
                for (Label l : parseEmoEvaluation(labelFile.toString(), TextFiles.lines(labelFile), report)) {
                    String e = CLASSES.get(l.code());
                    if (e == null) {
                        unused.merge(l.code(), 1, Integer::sum);
                        continue;
                    }
                    if (!seen.add(l.id())) {
                        report.skip(l.where(), "labels utterance " + l.id() + " a second time");
                        continue;
                    }
                    Path wav = session.resolve("sentences/wav/" + l.dialog() + "/" + l.id() + ".wav");
                    if (!Files.isRegularFile(wav)) {
                        report.skip(wav.toString(), "is missing (utterance " + l.id() + " labelled '" + l.code() + "' in " + l.where() + ")");
                        continue;
                    }
                    String text = transcripts.get(l.id());
                    if (text == null) {
                        report.warn(l.id(), "has no transcript in " + transcriptFile + "; an empty one is used");
                        text = "";
                    }
                    utterances.add(new Utterance(l.id(), l.speaker(), l.session(), wav, text, e));
                }
            }
        }
        return new Dataset(name, utterances, report.skipped, report.warnings, unused).withEmobox(EMOBOX);
    }

    /** The SessionN folders, or one error saying what an IEMOCAP folder looks like. */
    private static List<Path> sessions(Path root) {
        List<Path> sessions = Folders.list(root, p -> SESSION_DIR.matcher(p.getFileName().toString()).matches()
                && Files.isDirectory(p.resolve("dialog/EmoEvaluation")));
        if (sessions.isEmpty())
            throw new InputException(root, "is not an IEMOCAP release: it has no Session1 ... Session5 folders with "
                    + "dialog/EmoEvaluation/*.txt (expected the layout of IEMOCAP_full_release)");
        return sessions;
    }

    /** The label files of a session, by name; hidden files (macOS {@code ._} copies in some releases) are not. */
    private static List<Path> textFiles(Path dir) {
        return Folders.list(dir, p -> p.getFileName().toString().endsWith(".txt") && Files.isRegularFile(p));
    }
}

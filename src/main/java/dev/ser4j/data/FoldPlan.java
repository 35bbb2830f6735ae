package dev.ser4j.data;

import dev.ser4j.core.InputException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An explicit assignment of utterances to cross-validation folds: the published speaker-independent folds of a
 * corpus ({@code --folds emobox}) or a user's file ({@code --folds FILE}). A key is an utterance id, a speaker or a
 * session (tried in that order for each utterance); a value is a fold's name. Two names are special: {@code dev}
 * puts an utterance in the dev part of every fold (MELD's dev split), {@code train} in the training part of every
 * fold; neither is a test fold.
 *
 * @param source where the plan comes from, for messages (e.g. {@code EmoBox ravdess} or the file)
 * @param folds  key to fold name, in the file's (or the publication's) order
 */
public record FoldPlan(String source, Map<String, String> folds) {
    /** The fold name that marks utterances always in the dev part. */
    public static final String DEV = "dev";
    /** The fold name that marks utterances always in the training part. */
    public static final String TRAIN = "train";

    /** What separates a key from its fold: whitespace as {@link String#strip()} sees it, so that no field holds any. */
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\p{javaWhitespace}+");

    public FoldPlan {
        folds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(folds));
    }

    /** The fold of an utterance: by its id, else its speaker, else its session; null when the plan names none. */
    public String foldOf(String id, String speaker, String session) {
        String f = folds.get(id);
        if (f == null) f = folds.get(speaker);
        if (f == null) f = folds.get(session);
        return f;
    }

    /** Reads {@code --folds FILE}. */
    public static FoldPlan read(Path file) {
        return parse(file.toString(), TextFiles.lines(file));
    }

    /** {@link #parse(String, List)} over a fold file's bytes, decoded as {@link #read} decodes the file. */
    public static FoldPlan parse(String source, byte[] file) {
        return parse(source, TextFiles.lines(file));
    }

    /**
     * Parses {@code KEY<TAB>FOLD} lines (or two fields separated by any run of whitespace: spaces, tabs); blank lines
     * and lines starting with {@code #} are skipped. A line with other than two fields, or a key given twice, is an
     * {@link InputException} naming {@code source:line}; so is a file that assigns nothing. Pure.
     */
    public static FoldPlan parse(String source, List<String> lines) {
        Map<String, String> folds = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = source + ":" + (i + 1);
            String[] f = WHITESPACE.split(line);
            if (f.length != 2) throw new InputException(where, "is not 'utterance-id, speaker or session<TAB>fold'");
            String prior = folds.put(f[0], f[1]);
            if (prior != null) throw new InputException(where, "assigns '" + f[0] + "' to fold " + f[1] + " after fold " + prior);
        }
        if (folds.isEmpty()) throw new InputException(source, "assigns no utterance, speaker or session to a fold");
        return new FoldPlan(source, folds);
    }
}

package dev.ser4j.data;

import dev.ser4j.core.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The utterances of a data set as read, with what was left out and why.
 *
 * @param name        the spec it was opened from, e.g. {@code iemocap:/data/IEMOCAP_full_release}
 * @param utterances  in a deterministic order (file order of the source)
 * @param skipped     inputs that were reported and left out (a missing WAV, a malformed line, a duplicate id)
 * @param warnings    problems that did not cost an utterance (no transcript: an empty one is used)
 * @param unused      utterances left out on purpose, counted by reason (IEMOCAP's {@code xxx}, the classes outside
 *                    {@code --classes})
 * @param emobox      the corpus's speaker-independent folds as EmoBox publishes them ({@code --folds emobox}), or null
 * @param emoboxNone  why there are none, when {@code emobox} is null
 */
public record Dataset(String name, List<Utterance> utterances, List<Problem> skipped, List<Problem> warnings,
                      Map<String, Integer> unused, FoldPlan emobox, String emoboxNone) {

    /** One reported input: a file, {@code file:line}, or an utterance id; and what is wrong with it. */
    public record Problem(String input, String reason) {
        @Override
        public String toString() { return input + ": " + reason; }
    }

    public Dataset {
        utterances = List.copyOf(utterances);
        skipped = List.copyOf(skipped);
        warnings = List.copyOf(warnings);
        unused = Map.copyOf(unused);
    }

    /** A data set without published folds. */
    public Dataset(String name, List<Utterance> utterances, List<Problem> skipped, List<Problem> warnings, Map<String, Integer> unused) {
        this(name, utterances, skipped, warnings, unused, null, "EmoBox publishes no folds for " + name.replaceFirst(":.*", ":") + " data sets");
    }

    /** The same data set with the folds EmoBox publishes for its corpus. */
    public Dataset withEmobox(FoldPlan plan) {
        return new Dataset(name, utterances, skipped, warnings, unused, plan, null);
    }

    /**
     * The same data set without published folds, and why: EmoBox's folds for some corpora mix every speaker into every
     * fold, which {@code --folds emobox} must not pass off as speaker-independent.
     */
    public Dataset withoutEmobox(String why) {
        return new Dataset(name, utterances, skipped, warnings, unused, null, why);
    }

    /** The same utterances, warnings added (the rest unchanged). */
    public Dataset withUtterances(List<Utterance> us, List<Problem> moreWarnings) {
        List<Problem> w = new ArrayList<>(warnings);
        w.addAll(moreWarnings);
        return new Dataset(name, us, skipped, w, unused, emobox, emoboxNone);
    }

    public int size() { return utterances.size(); }

    /** Whether every utterance has a label (a training or evaluation set). */
    public boolean labeled() {
        return utterances.stream().allMatch(u -> u.label() != null);
    }

    /** Utterances per class name, by name; unlabeled utterances are not counted. */
    public Map<String, Integer> countsByLabel() {
        Map<String, Integer> m = new TreeMap<>();
        for (Utterance u : utterances) if (u.label() != null) m.merge(u.label(), 1, Integer::sum);
        return m;
    }

    /**
     * The data set restricted to {@code classes}: a labelled utterance of another class is left out and counted in
     * {@link #unused()} ({@code "fearful (not in --classes)"}); unlabelled utterances stay.
     */
    public Dataset withClasses(Labels classes) {
        List<Utterance> kept = new ArrayList<>(utterances.size());
        Map<String, Integer> left = new TreeMap<>(unused);
        for (Utterance u : utterances)
            if (u.label() == null || classes.indexOf(u.label()) >= 0) kept.add(u);
            else left.merge(u.label() + " (not in --classes)", 1, Integer::sum);
        return new Dataset(name, kept, skipped, warnings, left, emobox, emoboxNone);
    }

    /** Utterances per speaker, by speaker name. */
    public Map<String, Integer> countsBySpeaker() {
        Map<String, Integer> m = new TreeMap<>();
        for (Utterance u : utterances) m.merge(u.speaker(), 1, Integer::sum);
        return m;
    }

    /** Speakers per session, by session name. */
    public Map<String, List<String>> speakersBySession() {
        return utterances.stream().collect(Collectors.groupingBy(Utterance::session, TreeMap::new,
                Collectors.collectingAndThen(Collectors.mapping(Utterance::speaker, Collectors.toCollection(java.util.TreeSet::new)), ArrayList::new)));
    }

    /** A few lines for the log: counts per class, speakers, sessions, and how much was skipped or unused. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(": ").append(size()).append(" utterances");
        if (utterances.stream().anyMatch(u -> u.label() != null))
            sb.append(" (").append(countsByLabel().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "))).append(')');
        sb.append(String.format(Locale.ROOT, ", %d speakers in %d sessions", countsBySpeaker().size(), speakersBySession().size()));
        if (!unused.isEmpty())
            sb.append("; not used: ").append(new TreeMap<>(unused).entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
        if (!skipped.isEmpty()) sb.append("; ").append(skipped.size()).append(" skipped (first: ").append(skipped.getFirst()).append(')');
        if (!warnings.isEmpty()) sb.append("; ").append(warnings.size()).append(" warnings (first: ").append(warnings.getFirst()).append(')');
        return sb.toString();
    }
}

package dev.ser4j.data;

import dev.ser4j.core.Emotion;

import java.util.ArrayList;
import java.util.EnumMap;
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
 * @param unused      utterances left out on purpose, counted by reason (IEMOCAP: the labels outside the four
 *                    classes, {@code fru}, {@code sur}, ...)
 */
public record Dataset(String name, List<Utterance> utterances, List<Problem> skipped, List<Problem> warnings,
                      Map<String, Integer> unused) {

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

    public int size() { return utterances.size(); }

    /** Whether every utterance has a label (a training or evaluation set). */
    public boolean labeled() {
        return utterances.stream().allMatch(u -> u.label() != null);
    }

    /** Utterances per class, every class present (0 when absent); unlabeled utterances are not counted. */
    public Map<Emotion, Integer> countsByLabel() {
        Map<Emotion, Integer> m = new EnumMap<>(Emotion.class);
        for (Emotion e : Emotion.values()) m.put(e, 0);
        for (Utterance u : utterances) if (u.label() != null) m.merge(u.label(), 1, Integer::sum);
        return m;
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
            sb.append(" (").append(countsByLabel().entrySet().stream().map(e -> e.getKey().id() + " " + e.getValue())
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

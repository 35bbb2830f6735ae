package dev.ser4j.train;

import dev.ser4j.core.InputException;
import dev.ser4j.data.FoldPlan;
import dev.ser4j.model.Example;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Cross-validation folds as index lists into a data set (model spec, "Evaluation"):
 * <ul>
 * <li>{@code speaker}: each speaker is the test set once; dev is the other speaker of the same session (on IEMOCAP:
 *     10 folds, 8/1/1 speakers), or the next speaker where a session has only one;</li>
 * <li>{@code session}: leave one session out; dev is the next session;</li>
 * <li>{@code random}: 10 utterance-level parts from a seed; test part k, dev part k+1, train the other 8.</li>
 * </ul>
 */
public final class Folds {
    private Folds() {}

    public record Fold(String name, List<Integer> train, List<Integer> dev, List<Integer> test) {}

    /**
     * The folds of a scheme: {@code speaker}, {@code session}, {@code random}, or a {@code plan} (the corpus's
     * published folds, {@code emobox}, or a file's), which {@code kind} then names.
     */
    public static List<Fold> make(String kind, List<Example> data, long seed, FoldPlan plan) {
        if (plan != null) return planned(data, plan);
        return switch (check(kind)) {
            case "speaker" -> speaker(data);
            case "session" -> session(data);
            case "random" -> random(data, 10, seed);
            default -> throw new InputException("--folds", kind + " needs the data set's fold plan");
        };
    }

    /** Returns {@code kind} if it names a fold scheme; otherwise one clear error. */
    public static String check(String kind) {
        if (!SCHEMES.contains(kind))
            throw new InputException("--folds", "'" + kind + "' is not a fold scheme or a file; expected speaker, session, random, emobox or FILE");
        return kind;
    }

    /** The fold schemes by name ({@code --folds FILE} is the other choice). */
    public static final List<String> SCHEMES = List.of("speaker", "session", "random", "emobox");

    /**
     * The folds of a plan: each of its folds is the test part once (in the plan's order); the dev part is the
     * plan's {@code dev} utterances when it has them, otherwise half the speakers (the first in name order, at least
     * one) of the next fold, so that dev speakers come out of the training part rather than costing a whole fold;
     * the training part is the rest. Every utterance must have a fold in the plan.
     */
    public static List<Fold> planned(List<Example> data, FoldPlan plan) {
        String[] foldOf = new String[data.size()];
        List<String> missing = new ArrayList<>();
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(plan.folds().values());
        for (int i = 0; i < data.size(); i++) {
            Example e = data.get(i);
            foldOf[i] = plan.foldOf(e.id(), e.speaker(), e.session());
            if (foldOf[i] == null) missing.add(e.id());
        }
        if (!missing.isEmpty())
            throw new InputException(plan.source(), "assigns no fold to " + missing.size() + " of the " + data.size() + " utterances (e.g. "
                    + String.join(", ", missing.subList(0, Math.min(3, missing.size()))) + ")");
        boolean devSplit = names.remove(FoldPlan.DEV);
        names.remove(FoldPlan.TRAIN);
        names.removeIf(n -> java.util.Arrays.stream(foldOf).noneMatch(n::equals));   // folds with no utterance in this data
        List<String> order = new ArrayList<>(names);
        if (order.isEmpty()) throw new InputException(plan.source(), "has no test fold among these utterances");
        if (!devSplit && order.size() < 2) throw new InputException(plan.source(), "has one fold and no dev utterances, so nothing to choose the epoch on");
        List<Fold> folds = new ArrayList<>();
        for (int k = 0; k < order.size(); k++) {
            String test = order.get(k), next = order.get((k + 1) % order.size());
            java.util.Set<String> devSpeakers = new java.util.HashSet<>();
            if (!devSplit) {
                List<String> speakers = new ArrayList<>(new TreeSet<>(java.util.stream.IntStream.range(0, data.size())
                        .filter(i -> foldOf[i].equals(next)).mapToObj(i -> data.get(i).speaker()).toList()));
                devSpeakers.addAll(speakers.subList(0, Math.max(1, speakers.size() / 2)));
            }
            List<Integer> tr = new ArrayList<>(), dv = new ArrayList<>(), te = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                if (foldOf[i].equals(test)) te.add(i);
                else if (devSplit ? foldOf[i].equals(FoldPlan.DEV) : foldOf[i].equals(next) && devSpeakers.contains(data.get(i).speaker())) dv.add(i);
                else if (!foldOf[i].equals(FoldPlan.DEV)) tr.add(i);
            }
            folds.add(new Fold("fold " + test, tr, dv, te));
        }
        return folds;
    }

    public static List<Fold> speaker(List<Example> data) {
        TreeMap<String, TreeSet<String>> bySession = new TreeMap<>();
        for (Example e : data) bySession.computeIfAbsent(e.session(), k -> new TreeSet<>()).add(e.speaker());
        List<String> speakers = new ArrayList<>();
        bySession.values().forEach(speakers::addAll);
        if (speakers.size() < 3) throw new InputException("--folds speaker", "needs at least 3 speakers, the data has " + speakers.size());
        List<Fold> folds = new ArrayList<>();
        for (int i = 0; i < speakers.size(); i++) {
            String test = speakers.get(i);
            String session = sessionOf(data, test);
            String dev = bySession.get(session).stream().filter(s -> !s.equals(test)).findFirst()
                    .orElse(speakers.get((i + 1) % speakers.size()));
            folds.add(split("speaker " + test, data, e -> e.speaker().equals(test), e -> e.speaker().equals(dev)));
        }
        return folds;
    }

    public static List<Fold> session(List<Example> data) {
        List<String> sessions = new ArrayList<>(new TreeSet<>(data.stream().map(Example::session).toList()));
        if (sessions.size() < 3) throw new InputException("--folds session", "needs at least 3 sessions, the data has " + sessions.size());
        List<Fold> folds = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            String test = sessions.get(i), dev = sessions.get((i + 1) % sessions.size());
            folds.add(split("session " + test, data, e -> e.session().equals(test), e -> e.session().equals(dev)));
        }
        return folds;
    }

    public static List<Fold> random(List<Example> data, int k, long seed) {
        if (data.size() < k) throw new InputException("--folds random", "needs at least " + k + " utterances, the data has " + data.size());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) order.add(i);
        Collections.shuffle(order, new Random(seed));
        int[] part = new int[data.size()];
        for (int i = 0; i < order.size(); i++) part[order.get(i)] = i % k;
        List<Fold> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int test = f, dev = (f + 1) % k;
            List<Integer> tr = new ArrayList<>(), dv = new ArrayList<>(), te = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) (part[i] == test ? te : part[i] == dev ? dv : tr).add(i);
            folds.add(new Fold("part " + (f + 1), tr, dv, te));
        }
        return folds;
    }

    /**
     * One model's split for {@code ./ser4j train}: a seeded random {@code devFraction} of the utterances (at least one)
     * chooses the epoch, the rest trains; no test part.
     */
    public static Fold holdOut(List<Example> data, double devFraction, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) order.add(i);
        Collections.shuffle(order, new Random(seed));
        int nDev = Math.max(1, (int) Math.round(data.size() * devFraction));
        return new Fold("hold-out", List.copyOf(order.subList(nDev, order.size())), List.copyOf(order.subList(0, nDev)), List.of());
    }

    /** The examples at {@code indices}, in that order (a fold's part). */
    public static List<Example> select(List<Example> data, List<Integer> indices) {
        List<Example> out = new ArrayList<>(indices.size());
        for (int i : indices) out.add(data.get(i));
        return out;
    }

    private static String sessionOf(List<Example> data, String speaker) {
        return data.stream().filter(e -> e.speaker().equals(speaker)).findFirst().orElseThrow().session();
    }

    private static Fold split(String name, List<Example> data, java.util.function.Predicate<Example> isTest,
                              java.util.function.Predicate<Example> isDev) {
        List<Integer> tr = new ArrayList<>(), dv = new ArrayList<>(), te = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            Example e = data.get(i);
            (isTest.test(e) ? te : isDev.test(e) ? dv : tr).add(i);
        }
        return new Fold(name, tr, dv, te);
    }
}

package dev.ser4j.train;

import dev.ser4j.core.InputException;
import dev.ser4j.data.FoldPlan;
import dev.ser4j.data.Iemocap;
import dev.ser4j.data.Meld;
import dev.ser4j.data.Ravdess;
import dev.ser4j.model.Example;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class FoldsTest {
    @Test
    void speakerFoldsTestOneSpeakerAndValidateOnTheSessionPartner() {
        List<Example> data = Examples.make(10, 6, 4, 20, false, 1);       // 10 speakers in 5 sessions, as IEMOCAP
        List<Folds.Fold> folds = Folds.speaker(data);
        assertEquals(10, folds.size());
        for (Folds.Fold f : folds) {
            Set<String> test = speakers(data, f.test()), dev = speakers(data, f.dev()), train = speakers(data, f.train());
            assertEquals(1, test.size());
            assertEquals(1, dev.size());
            assertEquals(8, train.size());
            assertEquals(data.get(f.test().getFirst()).session(), data.get(f.dev().getFirst()).session());
            assertPartition(data.size(), f);
        }
    }

    @Test
    void sessionFoldsLeaveOneSessionOut() {
        List<Example> data = Examples.make(10, 6, 4, 20, false, 1);
        List<Folds.Fold> folds = Folds.session(data);
        assertEquals(5, folds.size());
        for (Folds.Fold f : folds) {
            assertEquals(2, speakers(data, f.test()).size());
            assertPartition(data.size(), f);
        }
    }

    @Test
    void randomFoldsAreTenDisjointSeededParts() {
        List<Example> data = Examples.make(4, 25, 4, 20, false, 1);
        List<Folds.Fold> a = Folds.random(data, 10, 7), b = Folds.random(data, 10, 7);
        assertEquals(a, b);
        Set<Integer> tested = new HashSet<>();
        for (Folds.Fold f : a) {
            assertEquals(10, f.test().size());
            assertEquals(10, f.dev().size());
            assertPartition(data.size(), f);
            tested.addAll(f.test());
        }
        assertEquals(data.size(), tested.size(), "every utterance is tested once");
        assertNotEquals(a, Folds.random(data, 10, 8));
    }

    @Test
    void unknownSchemeOrTooFewSpeakersIsAClearError() {
        List<Example> data = Examples.make(2, 6, 4, 20, false, 1);
        assertThrows(InputException.class, () -> Folds.make("bogus", data, 1, null));
        assertThrows(InputException.class, () -> Folds.speaker(data));
    }

    /** {@code perSpeaker} utterances of each speaker, the speaker's session given by {@code session}. */
    private static List<Example> utterances(List<String> speakers, java.util.function.Function<String, String> session, int perSpeaker) {
        List<Example> out = new java.util.ArrayList<>();
        for (String s : speakers)
            for (int i = 0; i < perSpeaker; i++)
                out.add(new Example(s + "_" + i, s, session.apply(s), new float[8], 2, new int[]{2}, null, i % 4));
        return out;
    }

    private static List<String> actors(int... numbers) {
        return java.util.Arrays.stream(numbers).mapToObj(n -> String.format("Actor_%02d", n)).toList();
    }

    @Test
    void ravdessPlanTestsEachFoldsFourActorsWithTwoDevActorsFromTheNextFold() {
        List<String> all = java.util.stream.IntStream.rangeClosed(1, 24).mapToObj(n -> String.format("Actor_%02d", n)).toList();
        List<Example> data = utterances(all, s -> s, 3);
        List<Folds.Fold> folds = Folds.make("emobox", data, 1, Ravdess.EMOBOX);
        assertEquals(6, folds.size());
        List<List<String>> test = List.of(actors(1, 11, 20, 21), actors(4, 10, 12, 14), actors(8, 9, 19, 23), actors(3, 5, 7, 24),
                actors(2, 15, 16, 18), actors(6, 13, 17, 22));
        List<Integer> tested = new java.util.ArrayList<>();
        for (int k = 0; k < 6; k++) {
            Folds.Fold f = folds.get(k);
            assertEquals("fold " + (k + 1), f.name());
            assertEquals(Set.copyOf(test.get(k)), speakers(data, f.test()));
            assertEquals(Set.copyOf(test.get((k + 1) % 6).subList(0, 2)), speakers(data, f.dev()), "the first two actors of the next fold");
            Set<String> train = new HashSet<>(all);
            train.removeAll(speakers(data, f.test()));
            train.removeAll(speakers(data, f.dev()));
            assertEquals(18, train.size());
            assertEquals(train, speakers(data, f.train()));
            assertEquals(12, f.test().size());
            assertEquals(6, f.dev().size());
            assertPartition(data.size(), f);
            tested.addAll(f.test());
        }
        assertEquals(data.size(), tested.size());
        assertEquals(data.size(), Set.copyOf(tested).size(), "every utterance is tested exactly once");
    }

    @Test
    void iemocapPlanLeavesOneSessionOutWithADevSpeakerOfTheNextSession() {
        List<String> speakers = java.util.stream.IntStream.rangeClosed(1, 5)
                .boxed().flatMap(n -> java.util.stream.Stream.of("Ses0" + n + "F", "Ses0" + n + "M")).toList();
        List<Example> data = utterances(speakers, s -> s.substring(0, 5), 2);
        List<Folds.Fold> folds = Folds.planned(data, Iemocap.EMOBOX);
        assertEquals(5, folds.size());
        for (int k = 0; k < 5; k++) {
            Folds.Fold f = folds.get(k);
            assertEquals(Set.of("Ses0" + (k + 1) + "F", "Ses0" + (k + 1) + "M"), speakers(data, f.test()));
            assertEquals(Set.of("Ses0" + ((k + 1) % 5 + 1) + "F"), speakers(data, f.dev()));
            assertEquals(7, speakers(data, f.train()).size());
            assertPartition(data.size(), f);
        }
    }

    @Test
    void aPlanWithDevAndTrainNamesUsesTheDevUtterancesAndNeverTestsTheTrainOnes() {
        List<Example> data = utterances(List.of("Chandler", "Monica", "Rachel", "Ross"), s -> switch (s) {
            case "Chandler", "Monica" -> "train";
            case "Rachel" -> "dev";
            default -> "test";
        }, 4);
        FoldPlan split = FoldPlan.parse("meld-like", List.of("train\ttrain", "dev\tdev", "test\ttest"));
        List<Folds.Fold> meld = Folds.planned(data, split);
        assertEquals(1, meld.size());
        Folds.Fold f = meld.getFirst();
        assertEquals("fold test", f.name());
        assertEquals(Set.of("Ross"), speakers(data, f.test()));
        assertEquals(Set.of("Rachel"), speakers(data, f.dev()));
        assertEquals(Set.of("Chandler", "Monica"), speakers(data, f.train()));
        assertPartition(data.size(), f);
        assertEquals(meld, Folds.planned(data, Meld.EMOBOX), "MELD's EmoBox plan is its official split");

        FoldPlan plan = FoldPlan.parse("folds.tsv", List.of("Chandler	1", "Monica	2", "Rachel	dev", "Ross	train"));
        List<Folds.Fold> two = Folds.planned(data, plan);
        assertEquals(2, two.size());
        for (Folds.Fold g : two) {
            assertEquals(Set.of("Rachel"), speakers(data, g.dev()));
            assertTrue(speakers(data, g.train()).contains("Ross"));
            assertFalse(speakers(data, g.test()).contains("Ross"), "train is never tested");
            assertFalse(speakers(data, g.test()).contains("Rachel"), "dev is never tested");
            assertPartition(data.size(), g);
        }
        assertEquals(Set.of("Chandler"), speakers(data, two.get(0).test()));
        assertEquals(Set.of("Monica"), speakers(data, two.get(1).test()));
    }

    @Test
    void anUtteranceThePlanDoesNotCoverIsAnErrorNamingThePlanAndCountingThem() {
        List<Example> data = new java.util.ArrayList<>(utterances(actors(1, 2, 3, 4, 5, 6, 7, 8), s -> s, 2));
        data.addAll(utterances(List.of("Actor_25", "Actor_26"), s -> s, 3));
        InputException e = assertThrows(InputException.class, () -> Folds.planned(data, Ravdess.EMOBOX));
        assertEquals(Ravdess.EMOBOX.source(), e.source());
        assertTrue(e.getMessage().contains("assigns no fold to 6 of the 22 utterances (e.g. Actor_25_0, Actor_25_1, Actor_25_2)"), e.getMessage());
    }

    private static Set<String> speakers(List<Example> data, List<Integer> idx) {
        Set<String> s = new HashSet<>();
        for (int i : idx) s.add(data.get(i).speaker());
        return s;
    }

    private static void assertPartition(int n, Folds.Fold f) {
        Set<Integer> all = new HashSet<>(f.train());
        all.addAll(f.dev());
        all.addAll(f.test());
        assertEquals(n, all.size());
        assertEquals(n, f.train().size() + f.dev().size() + f.test().size());
    }
}
